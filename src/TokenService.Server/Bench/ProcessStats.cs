using System.Globalization;

namespace TokenService.Bench;

/// <summary>CPU time and memory of a Linux process from /proc (proc(5)).</summary>
internal static class ProcessStats
{
    /// <summary>USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux ABI .NET runs on.</summary>
    public const int TicksPerSecond = 100;

    /// <summary>User plus system CPU time of <paramref name="pid"/> ("self" for this process), in clock ticks.</summary>
    public static long CpuTicks(string pid = "self")
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The fields after the parenthesised command name start with the state (field 3): utime and stime are
        // fields 14 and 15, so 11 and 12 after the name.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>A /proc/PID/status size field (VmRSS, VmHWM) in KiB, or null when absent.</summary>
    public static long? StatusKib(string field, string pid = "self")
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Open file descriptors of <paramref name="pid"/> ("self" for this process): the entries of /proc/PID/fd.</summary>
    public static int OpenFiles(string pid = "self") => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();

    /// <summary>The direct children of this process (the probe hosts), from /proc/self/task/*/children.</summary>
    public static IReadOnlyList<string> Children() =>
        [.. Directory.EnumerateDirectories("/proc/self/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct()];
}
