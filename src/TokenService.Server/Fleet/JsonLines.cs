using System.Buffers;

namespace TokenService.Fleet;

/// <summary>
/// One line of a JSON-lines stream. Its body lives in an array rented from <see cref="ArrayPool{T}.Shared"/>: a
/// fresh array per line cost `report` a fifth of its time in allocation (docs/benchmarks.md, "Fleet report"), so
/// whoever takes the line calls <see cref="Return"/> once done with <see cref="Body"/>.
/// </summary>
/// <param name="Number">The 1-based line number.</param>
/// <param name="Rented">The body's array; null when the line is longer than the bound (the body was not kept).</param>
/// <param name="Count">How many bytes of <paramref name="Rented"/> are the body (without CR and surrounding blanks).</param>
/// <param name="Length">The line's length as far as read (past the bound for a line too long).</param>
internal readonly record struct JsonLine(long Number, byte[]? Rented, int Count, long Length)
{
    public bool TooLong => Rented is null;

    public ReadOnlySpan<byte> Body => Rented.AsSpan(0, Count);

    public void Return()
    {
        if (Rented is not null)
        {
            ArrayPool<byte>.Shared.Return(Rented);
        }
    }
}

/// <summary>
/// Splits a JSON-lines stream (https://jsonlines.org/: one document per line, LF or CRLF) into lines of at most a
/// bound, without reading a longer line into memory: such a line is reported without a body and skipped. Blank
/// lines are skipped.
/// </summary>
internal static class JsonLines
{
    public static IEnumerable<JsonLine> Split(Stream stream, int maxLineBytes)
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
                if (end >= 0 && line.Length == 0 && !tooLong && stop - start <= maxLineBytes)
                {
                    // The whole line is in the buffer (the usual case): copied once, not twice through the MemoryStream.
                    number++;
                    if (Line(number, buffer.AsSpan(start, stop - start)) is { } whole)
                    {
                        yield return whole;
                    }

                    start = end + 1;
                    continue;
                }

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
                if (Emit(number, line, tooLong, length) is { } complete)
                {
                    yield return complete;
                }

                line.SetLength(0);
                length = 0;
                tooLong = false;
                start = end + 1;
            }
        }

        if ((length > 0 || line.Length > 0) && Emit(number + 1, line, tooLong, length) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>The line gathered across reads: without a body when too long, null when blank.</summary>
    private static JsonLine? Emit(long number, MemoryStream line, bool tooLong, long length) =>
        tooLong ? new JsonLine(number, null, 0, length)
        : length == 0 ? null
        : Line(number, line.GetBuffer().AsSpan(0, (int)line.Length));

    /// <summary>A pooled copy of the line without its CR and surrounding blanks, or null when it is blank.</summary>
    private static JsonLine? Line(long number, ReadOnlySpan<byte> line)
    {
        var length = line.Length;
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }

        line = line.Trim(" \t"u8);
        if (line.IsEmpty)
        {
            return null;
        }

        var rented = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(rented);
        return new JsonLine(number, rented, line.Length, length);
    }
}
