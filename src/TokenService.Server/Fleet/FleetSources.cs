using System.Collections.Concurrent;
using System.Globalization;

namespace TokenService.Fleet;

/// <summary>
/// Reads the inputs of `report`: files, folders (every <c>*.json</c> below them) and <c>-</c> (JSON lines on standard
/// input), each document bounded to <see cref="MaxDocumentBytes"/>, parsed on every core into one
/// <see cref="FleetTally"/> per thread. A file that cannot be read or a line too long is a named problem, never fatal.
/// </summary>
internal static class FleetSources
{
    /// <summary>A check report of one token is tens of KiB; 16 MiB is far above any real one and bounds the memory a bad input costs.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    public const string StandardInput = "-";

    public static FleetTally Read(IReadOnlyList<string> inputs, Stream standardInput, int parallelism, CancellationToken cancellationToken)
    {
        var total = new FleetTally();
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (input == StandardInput)
            {
                continue;
            }

            if (Directory.Exists(input))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(input, "*.json", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
                        .Order(StringComparer.Ordinal));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    total.AddProblem(input, InputProblem.Unreadable, e.Message);
                }
            }
            else
            {
                files.Add(input);
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        var gate = new Lock();
        if (files.Count > 0) // Partitioner.Create refuses an empty range
        {
            Parallel.ForEach(
                Partitioner.Create(0, files.Count, Math.Max(1, Math.Min(256, files.Count / (4 * options.MaxDegreeOfParallelism) + 1))),
                options,
                () => new Worker(),
                (range, _, worker) =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        worker.ReadFile(files[i]);
                    }

                    return worker;
                },
                worker =>
                {
                    lock (gate)
                    {
                        total.Merge(worker.Tally);
                    }
                });
        }

        if (inputs.Contains(StandardInput))
        {
            total.Merge(ReadLines(standardInput, options));
        }

        return total;
    }

    /// <summary>JSON lines: one reader splits the stream, every core parses; blank lines are skipped.</summary>
    private static FleetTally ReadLines(Stream stream, ParallelOptions options)
    {
        using var lines = new BlockingCollection<JsonLine>(boundedCapacity: 1024);
        var total = new FleetTally();
        var gate = new Lock();
        var parsers = Enumerable.Range(0, options.MaxDegreeOfParallelism).Select(_ => Task.Run(() =>
        {
            var tally = new FleetTally();
            foreach (var line in lines.GetConsumingEnumerable(options.CancellationToken))
            {
                var source = "-:" + line.Number.ToString(CultureInfo.InvariantCulture);
                if (line.TooLong)
                {
                    tally.AddProblem(source, InputProblem.Oversized, $"a line of {line.Length} bytes or more: the bound is {MaxDocumentBytes}");
                }
                else
                {
                    CheckDocuments.Add(source, line.Body, tally);
                    line.Return();
                }
            }

            lock (gate)
            {
                total.Merge(tally);
            }
        })).ToArray();

        try
        {
            foreach (var line in JsonLines.Split(stream, MaxDocumentBytes))
            {
                lines.Add(line, options.CancellationToken);
            }
        }
        finally
        {
            lines.CompleteAdding();
            Task.WaitAll(parsers);
        }

        return total;
    }

    /// <summary>One thread's reading: a buffer reused between files, and its own tally.</summary>
    private sealed class Worker
    {
        private byte[] _buffer = new byte[64 * 1024];

        public FleetTally Tally { get; } = new();

        public void ReadFile(string path)
        {
            int length;
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
                var size = RandomAccess.GetLength(handle);
                if (size > MaxDocumentBytes)
                {
                    Tally.AddProblem(path, InputProblem.Oversized, $"{size} bytes: the bound is {MaxDocumentBytes}");
                    return;
                }

                if (_buffer.Length < size)
                {
                    _buffer = new byte[Math.Max(size, _buffer.Length * 2L)];
                }

                length = 0;
                int read;
                while (length < size && (read = RandomAccess.Read(handle, _buffer.AsSpan(length, (int)size - length), length)) > 0)
                {
                    length += read;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Tally.AddProblem(path, InputProblem.Unreadable, e.Message);
                return;
            }

            CheckDocuments.Add(path, _buffer.AsSpan(0, length), Tally);
        }
    }
}
