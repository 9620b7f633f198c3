using System.Globalization;

namespace TokenService.Probing;

/// <summary>
/// Explains how a probe host ended. .NET reports a process killed by signal N as exit code 128 + N on Unix,
/// the shell's convention, so 134 is SIGABRT (a module's abort()), 137 SIGKILL (killed), 139 SIGSEGV.
/// </summary>
internal static class ExitDescriptions
{
    private const int SignalBase = 128;

    /// <summary>Linux signal numbers (signal(7), x86 and ARM) a crashing or killed module leaves.</summary>
    private static readonly Dictionary<int, string> Signals = new()
    {
        [1] = "SIGHUP",
        [2] = "SIGINT",
        [3] = "SIGQUIT",
        [4] = "SIGILL",
        [5] = "SIGTRAP",
        [6] = "SIGABRT",
        [7] = "SIGBUS",
        [8] = "SIGFPE",
        [9] = "SIGKILL",
        [11] = "SIGSEGV",
        [13] = "SIGPIPE",
        [15] = "SIGTERM",
    };

    public static string Of(int exitCode)
    {
        if (exitCode > SignalBase && Signals.TryGetValue(exitCode - SignalBase, out var signal))
        {
            return string.Create(CultureInfo.InvariantCulture, $"was killed by signal {exitCode - SignalBase} ({signal}; exit code {exitCode})");
        }

        return string.Create(CultureInfo.InvariantCulture, $"exited with code {exitCode}");
    }
}
