namespace TokenService.Input;

/// <summary>
/// Reads what a caller points at without trusting its size: a file given as `--pin-file /dev/zero`, a
/// `--server-ca` that is a 10 GB log or a FIFO that never ends must cost a bounded amount of memory and time,
/// and end in a one-line error (issue 9 §2). Every file the CLI or a probe host reads whole goes through here.
/// </summary>
internal static class BoundedInput
{
    /// <summary>The most a PIN may be: PKCS#11 tokens take far fewer (ulMaxPinLen is typically 8 to 64 bytes).</summary>
    public const int MaxPinBytes = 256;

    /// <summary>The most a certificate or CA bundle may be (Debian's whole ca-certificates bundle is about 0.2 MiB).</summary>
    public const int MaxCertificateFileBytes = 4 << 20;

    /// <summary>The most a `profiles` manifest may be (the demo's has 17 lines).</summary>
    public const int MaxManifestBytes = 4 << 20;

    /// <summary>The whole file, at most <paramref name="maxBytes"/>; <paramref name="what"/> names it in messages.</summary>
    /// <exception cref="InputException">The path is empty, the file cannot be read, or it is larger.</exception>
    public static byte[] ReadFile(string path, string what, int maxBytes)
    {
        using var stream = Open(path, what);
        var bytes = ReadAtMost(stream, maxBytes + 1, stopAtNewline: false, path, what);
        return bytes.Length <= maxBytes
            ? bytes
            : throw new InputException(InputFailure.TooLarge, $"{what}: {path} is larger than {Size(maxBytes)}: refused");
    }

    /// <summary>Opens a file for reading, every way it can fail as one line.</summary>
    /// <exception cref="InputException">The path is empty, or the file cannot be opened.</exception>
    public static FileStream Open(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException(InputFailure.NoPath, $"{what}: no file given (the path is empty)");
        }

        try
        {
            // bufferSize 0: no read-ahead, so a line read stops where the line does.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException(InputFailure.Unreadable, $"{what}: cannot read {path}: {e.Message}");
        }
    }

    /// <summary>
    /// At most <paramref name="limit"/> bytes of <paramref name="stream"/>; with <paramref name="stopAtNewline"/>,
    /// only up to (not including) the first '\n'. Reads no further than the limit, however long the stream is.
    /// </summary>
    /// <exception cref="InputException">Reading fails.</exception>
    public static byte[] ReadAtMost(Stream stream, int limit, bool stopAtNewline, string source, string what)
    {
        var buffer = new byte[limit];
        var length = 0;
        try
        {
            while (length < limit)
            {
                // A line is read a byte at a time, so nothing past it is consumed (standard input may be shared).
                var n = stream.Read(buffer, length, stopAtNewline ? 1 : limit - length);
                if (n == 0)
                {
                    break;
                }

                if (stopAtNewline && buffer[length] == (byte)'\n')
                {
                    break;
                }

                length += n;
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InputException(InputFailure.Unreadable, $"{what}: cannot read {source}: {e.Message}");
        }
        finally
        {
            // The buffer may hold a secret (a PIN): the caller owns the one copy returned.
            buffer.AsSpan().Clear();
        }
    }

    private static string Size(int bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}

/// <summary>Why an input could not be read.</summary>
internal enum InputFailure
{
    /// <summary>No path was given (an empty string): the caller's mistake.</summary>
    NoPath,
    /// <summary>The file is missing, a directory, not readable, or reading it failed.</summary>
    Unreadable,
    /// <summary>The input is longer than the bound for what it should hold.</summary>
    TooLarge,
}

/// <summary>An input that cannot be used; the message is one line and names the input, never its content.</summary>
internal sealed class InputException(InputFailure failure, string message) : Exception(message)
{
    public InputFailure Failure { get; } = failure;
}
