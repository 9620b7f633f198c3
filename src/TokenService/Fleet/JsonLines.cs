namespace TokenService.Fleet;

/// <summary>
/// Splits a JSON-lines stream (https://jsonlines.org/: one document per line, LF or CRLF) into lines of at most a
/// bound, without reading a longer line into memory: such a line is reported with a null body and skipped.
/// </summary>
internal static class JsonLines
{
    /// <returns>The 1-based line number, the line's bytes (null when longer than <paramref name="maxLineBytes"/>) and its length (as far as read).</returns>
    public static IEnumerable<(long Number, byte[]? Line, long Length)> Split(Stream stream, int maxLineBytes)
    {
        var buffer = new byte[1 << 20];
        var line = new MemoryStream();
        long number = 0;
        long length = 0;
        var tooLong = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                var stop = end < 0 ? read : end;
                length += stop - start;
                if (!tooLong && length > maxLineBytes)
                {
                    tooLong = true;
                    line.SetLength(0);
                }

                if (!tooLong)
                {
                    line.Write(buffer, start, stop - start);
                }

                if (end < 0)
                {
                    break;
                }

                number++;
                if (Emit(line, tooLong, length) is { } complete)
                {
                    yield return (number, complete, length);
                }
                else if (tooLong)
                {
                    yield return (number, null, length);
                }

                line.SetLength(0);
                length = 0;
                tooLong = false;
                start = end + 1;
            }
        }

        if (length > 0 || line.Length > 0)
        {
            number++;
            if (Emit(line, tooLong, length) is { } last)
            {
                yield return (number, last, length);
            }
            else if (tooLong)
            {
                yield return (number, null, length);
            }
        }
    }

    /// <summary>The line without its CR, or null when it is blank (nothing to read) or too long.</summary>
    private static byte[]? Emit(MemoryStream line, bool tooLong, long length)
    {
        if (tooLong || length == 0)
        {
            return null;
        }

        var bytes = line.ToArray();
        var span = bytes.AsSpan();
        if (span.EndsWith((byte)'\r'))
        {
            span = span[..^1];
        }

        return span.Trim(" \t"u8).IsEmpty ? null : span.Length == bytes.Length ? bytes : span.ToArray();
    }
}
