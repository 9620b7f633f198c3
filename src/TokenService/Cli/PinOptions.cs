using TokenService.Pins;

namespace TokenService.Cli;

/// <summary>`--pin-stdin`, `--pin-env NAME`, `--pin-file PATH`: the PIN through <see cref="PinSource"/>, failures as exit codes.</summary>
internal static class PinOptions
{
    /// <summary>The PIN as bytes for the caller to clear, or null when none of the options was given.</summary>
    /// <exception cref="CliException">Usage (64): more than one source, or an empty PIN; unavailable (69): the source cannot be read.</exception>
    public static byte[]? Read(bool fromStdin, string? envName, string? filePath, TextReader stdin)
    {
        try
        {
            return PinSource.Read(fromStdin, envName, filePath, stdin);
        }
        catch (PinSourceException e)
        {
            throw new CliException(e.Failure == PinSourceFailure.Usage ? ExitCodes.Usage : ExitCodes.Unavailable, e.Message);
        }
    }
}
