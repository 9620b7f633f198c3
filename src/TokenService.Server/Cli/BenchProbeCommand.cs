using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenService.Bench;
using TokenService.Locating;
using TokenService.Processes;
using TokenService.Probing;
using TokenService.Text;

namespace TokenService.Cli;

/// <summary>
/// `bench-probe` (hidden): measures probe latency as the service sees it. For each bench binding it starts the
/// probe host (the lean `tokenservice` beside this program, so a native build measures native hosts), then times the first probe
/// (module load, C_Initialize, inventory, verdicts) and <c>count</c> repeated ones, round trip and inside the host,
/// and as many pings (the round trip alone).
/// </summary>
internal static class BenchProbeCommand
{
    internal sealed record Options(string BindingsFile, int Count, string? Reader);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (options.Count < 1)
        {
            throw new CliException(ExitCodes.Usage, "--count: give at least 1");
        }

        IEnumerable<BenchBinding> bindings;
        try
        {
            bindings = BenchBindingsFile.Load(options.BindingsFile);
        }
        catch (BenchBindingsException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }

        if (options.Reader is { } reader)
        {
            bindings = bindings.Where(b => b.Reader.Matches(reader));
        }

        var host = TokenServiceProgram.StartInfo(["probe-host"]);
        await stdout.WriteLineAsync(TerminalEscaper.Escape(
            $"runtime: {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT")}; hosts: {string.Join(' ', [host.FileName, .. host.ArgumentList])}; {options.Count} repeated probes per binding"));
        var settings = Microsoft.Extensions.Options.Options.Create(new ProbingOptions { Timeout = TimeSpan.FromSeconds(60), StartTimeout = TimeSpan.FromSeconds(60) });
        await using var prober = new OutOfProcessProber(settings, Microsoft.Extensions.Options.Options.Create(new VerdictOptions()), TimeProvider.System, NullLogger<OutOfProcessProber>.Instance);
        var status = 0;
        foreach (var binding in bindings)
        {
            var target = binding.ToTarget();
            var started = TimeProvider.System.GetTimestamp();
            var pid = await prober.StartHostAsync(target, cancellationToken);
            var hostStart = TimeProvider.System.GetElapsedTime(started);
            var hostPid = pid.ToString(CultureInfo.InvariantCulture);
            var rssStarted = ProcessStats.StatusKib("VmRSS", hostPid);
            var first = await prober.ProbeAsync(target, cancellationToken);
            var rssFirst = ProcessStats.StatusKib("VmRSS", hostPid);
            if (first.Status != ProbeStatus.Completed)
            {
                await stdout.WriteLineAsync(FirstProbeFailed(binding.Token, first));
                status = ExitCodes.Unavailable;
                continue;
            }

            var repeated = new List<ProbeOutcome>(options.Count);
            for (var i = 0; i < options.Count; i++)
            {
                repeated.Add(await prober.ProbeAsync(target, cancellationToken));
            }

            var rssRepeated = ProcessStats.StatusKib("VmRSS", hostPid);

            // A ping loads nothing and carries no report: the floor of a round trip through the pipes.
            var pings = new List<double>(options.Count);
            for (var i = 0; i < options.Count; i++)
            {
                var sent = TimeProvider.System.GetTimestamp();
                await prober.StartHostAsync(target, cancellationToken);
                pings.Add(TimeProvider.System.GetElapsedTime(sent).TotalMilliseconds);
            }

            pings.Sort();
            var failed = repeated.Count(r => r.Status != ProbeStatus.Completed);
            var roundTrip = repeated.Select(r => r.Duration.TotalMilliseconds).Order().ToList();
            var inHost = repeated.Select(r => r.HostDuration?.TotalMilliseconds ?? double.NaN).Order().ToList();
            // One line of the bench's own words around the binding's token label and the host's verdict: escaped whole.
            await stdout.WriteLineAsync(TerminalEscaper.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{binding.Token} (host {pid}): host start {hostStart.TotalMilliseconds:F1} ms; first probe {first.Duration.TotalMilliseconds:F1} ms (in host {first.HostDuration?.TotalMilliseconds:F1}); " +
                $"repeated x{options.Count}: p50 {Percentile(roundTrip, 50):F2} ms, p95 {Percentile(roundTrip, 95):F2} ms, min {roundTrip[0]:F2}, max {roundTrip[^1]:F2} " +
                $"(in host p50 {Percentile(inHost, 50):F2} ms, p95 {Percentile(inHost, 95):F2} ms); ping p50 {Percentile(pings, 50):F2} ms; " +
                $"verdict {first.Report!.Verdict}{(failed > 0 ? $"; {failed} failed" : "")}; " +
                $"host VmRSS started {rssStarted / 1024.0:F1} MiB, after the first probe {rssFirst / 1024.0:F1} MiB, after x{options.Count} {rssRepeated / 1024.0:F1} MiB (peak {ProcessStats.StatusKib("VmHWM", hostPid) / 1024.0:F1} MiB)")));
            if (failed > 0)
            {
                status = ExitCodes.Unavailable;
            }
        }

        return status;
    }

    /// <summary>
    /// The line for a binding whose first probe gave no report: its token label comes from the bindings file and the
    /// error from the module or the card (a token label, a CKR message), so the line is escaped (issue 9 §1).
    /// </summary>
    internal static string FirstProbeFailed(string token, ProbeOutcome first) =>
        TerminalEscaper.Escape($"{token}: first probe {first.Status}: {first.Error}");

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, int percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
