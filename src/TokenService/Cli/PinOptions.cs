using TokenService.Pins;

namespace TokenService.Cli;

/// <summary>`--pin-stdin`, `--pin-env NAME`, `--pin-file PATH`: the PIN through <see cref="PinSource"/>, failures as exit codes.</summary>
internal static class PinOptions
{
    /// <summary>The PIN as bytes for the caller to clear, or null when none of the options was given.</summary>
    /// <exception cref="CliException">Usage (64): more than one source, an empty PIN or an empty --pin-file path; unavailable (69): the source cannot be read or holds more than a PIN.</exception>
    public static byte[]? Read(bool fromStdin, string? envName, string? filePath, Func<Stream> stdin, TextWriter warnings)
    {
        try
        {
            return PinSource.Read(fromStdin, envName, filePath, stdin, warnings);
        }
        catch (PinSourceException e)
        {
            throw new CliException(e.Failure == PinSourceFailure.Usage ? ExitCodes.Usage : ExitCodes.Unavailable, e.Message);
        }
    }
}
