using TokenService.Input;

namespace TokenService.Cli;

/// <summary>Files the commands read whole, through <see cref="BoundedInput"/>, failures as exit codes.</summary>
internal static class InputFiles
{
    /// <summary>The whole file, at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="CliException">Usage (64) for an empty path, else <paramref name="unreadable"/>: missing, unreadable or too large.</exception>
    public static byte[] Read(string path, string what, int maxBytes, int unreadable)
    {
        try
        {
            return BoundedInput.ReadFile(path, what, maxBytes);
        }
        catch (InputException e)
        {
            throw new CliException(e.Failure == InputFailure.NoPath ? ExitCodes.Usage : unreadable, e.Message);
        }
    }
}
