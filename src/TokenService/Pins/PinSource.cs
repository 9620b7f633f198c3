using System.Text;

namespace TokenService.Pins;

/// <summary>
/// Reads a PIN from standard input, an environment variable or a file: never from the command line, where
/// any user could read it in the process list. The PIN is returned as bytes for the caller to clear.
/// </summary>
internal static class PinSource
{
    /// <exception cref="PinSourceException">The PIN was given more than one way, is empty, or cannot be read.</exception>
    public static byte[]? Read(bool fromStdin, string? envName, string? filePath, TextReader stdin)
    {
        var given = (fromStdin ? 1 : 0) + (envName is null ? 0 : 1) + (filePath is null ? 0 : 1);
        if (given > 1)
        {
            throw new PinSourceException(PinSourceFailure.Usage, "give the PIN one way only: --pin-stdin, --pin-env NAME or --pin-file PATH");
        }

        string? text;
        if (fromStdin)
        {
            text = stdin.ReadLine() ?? throw new PinSourceException(PinSourceFailure.Unreadable, "--pin-stdin: standard input is empty");
        }
        else if (envName is not null)
        {
            text = Environment.GetEnvironmentVariable(envName)
                ?? throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-env: the environment variable {envName} is not set");
        }
        else if (filePath is not null)
        {
            try
            {
                text = File.ReadLines(filePath).FirstOrDefault()
                    ?? throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-file: {filePath} is empty");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-file: cannot read {filePath}: {e.Message}");
            }
        }
        else
        {
            return null;
        }

        text = text.TrimEnd('\r', '\n');
        if (text.Length == 0)
        {
            throw new PinSourceException(PinSourceFailure.Usage, "the PIN is empty");
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
