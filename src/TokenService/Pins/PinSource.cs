using System.Security.Cryptography;
using System.Text;
using TokenService.Input;
using TokenService.Text;

namespace TokenService.Pins;

/// <summary>
/// Reads a PIN from standard input, an environment variable or a file: never from the command line, where
/// any user could read it in the process list. The PIN is returned as the bytes read, for the caller to clear:
/// C_Login takes bytes (PKCS#11 v2.40 §5.6), so a PIN that is not UTF-8 reaches the token exactly as written,
/// never re-encoded into a different PIN that would spend a try. At most <see cref="BoundedInput.MaxPinBytes"/>
/// bytes are read from any source: an endless stream ends in a one-line error, not in memory exhaustion.
/// </summary>
internal static class PinSource
{
    /// <summary>Group and others' read bits: a PIN file with any of them is readable by other users.</summary>
    private const UnixFileMode ReadableByOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <param name="stdin">Opens standard input; called only with <paramref name="fromStdin"/>.</param>
    /// <param name="warnings">Where the one-line warning about a PIN file others can read goes.</param>
    /// <exception cref="PinSourceException">
    /// Usage: more than one source, an empty PIN or an empty file path. Unreadable: the source is missing, cannot
    /// be read, or its first line is longer than a PIN can be.
    /// </exception>
    public static byte[]? Read(bool fromStdin, string? envName, string? filePath, Func<Stream> stdin, TextWriter warnings)
    {
        var given = (fromStdin ? 1 : 0) + (envName is null ? 0 : 1) + (filePath is null ? 0 : 1);
        if (given > 1)
        {
            throw new PinSourceException(PinSourceFailure.Usage, "give the PIN one way only: --pin-stdin, --pin-env NAME or --pin-file PATH");
        }

        byte[] line;
        try
        {
            if (fromStdin)
            {
                line = FirstLine(stdin(), "standard input", "--pin-stdin");
            }
            else if (envName is not null)
            {
                line = FromEnvironment(envName);
            }
            else if (filePath is not null)
            {
                using var file = BoundedInput.Open(filePath, "--pin-file");
                WarnIfReadableByOthers(file, filePath, warnings);
                line = FirstLine(file, filePath, "--pin-file");
            }
            else
            {
                return null;
            }
        }
        catch (InputException e)
        {
            throw new PinSourceException(e.Failure == InputFailure.NoPath ? PinSourceFailure.Usage : PinSourceFailure.Unreadable, e.Message);
        }

        if (line.Length == 0)
        {
            throw new PinSourceException(PinSourceFailure.Usage, "the PIN is empty");
        }

        return line;
    }

    /// <summary>The first line's bytes (without "\n" or "\r\n"), read no further than a PIN can be long.</summary>
    private static byte[] FirstLine(Stream stream, string source, string what)
    {
        var bytes = BoundedInput.ReadAtMost(stream, BoundedInput.MaxPinBytes + 1, stopAtNewline: true, source, what);
        if (bytes.Length > BoundedInput.MaxPinBytes)
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new PinSourceException(PinSourceFailure.Unreadable, $"{what}: the first line of {source} is longer than {BoundedInput.MaxPinBytes} bytes: not a PIN, refused");
        }

        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            var trimmed = bytes[..^1];
            CryptographicOperations.ZeroMemory(bytes);
            return trimmed;
        }

        return bytes;
    }

    /// <summary>
    /// .NET decodes the environment as UTF-8 and replaces what is not with U+FFFD, so the bytes as set are lost:
    /// such a PIN is refused rather than sent altered.
    /// </summary>
    private static byte[] FromEnvironment(string name)
    {
        var text = Environment.GetEnvironmentVariable(name)
            ?? throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-env: the environment variable {name} is not set");
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-env: {name} is not valid UTF-8 and cannot be passed on unaltered: give the PIN with --pin-file or --pin-stdin");
        }

        text = text.TrimEnd('\r', '\n');
        if (Encoding.UTF8.GetByteCount(text) > BoundedInput.MaxPinBytes)
        {
            throw new PinSourceException(PinSourceFailure.Unreadable, $"--pin-env: {name} is longer than {BoundedInput.MaxPinBytes} bytes: not a PIN, refused");
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>As ssh does for a private key file: a PIN that other users can read is warned about (one line).</summary>
    private static void WarnIfReadableByOthers(FileStream file, string path, TextWriter warnings)
    {
        // Only a regular file with content: a device or a pipe (/dev/stdin, a FIFO) has modes that say nothing about the PIN.
        if (OperatingSystem.IsWindows() || !file.CanSeek || file.Length == 0)
        {
            return;
        }

        var mode = File.GetUnixFileMode(file.SafeFileHandle);
        var readers = (mode & ReadableByOthers) switch
        {
            0 => null,
            UnixFileMode.GroupRead => "its group",
            UnixFileMode.OtherRead => "others",
            _ => "its group and others",
        };
        if (readers is not null)
        {
            var octal = Convert.ToString((int)mode & 0x1ff, 8).PadLeft(4, '0');
            warnings.WriteLine($"tokenservice: warning: the PIN file {TerminalEscaper.Escape(path)} is readable by {readers} (mode {octal}): chmod 600 it");
        }
    }
}
