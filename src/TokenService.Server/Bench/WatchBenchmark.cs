using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TokenService.Contracts;
using TokenService.Hosting;
using TokenService.Worker;

namespace TokenService.Bench;

/// <summary>
/// `bench-watch`: drives virtual card insertions through vpcd into a running watcher and measures card event →
/// published verdict latency, idle CPU, resident memory and recovery after a pcscd restart (docs/benchmarks.md,
/// "Watcher"). Each insertion alternates between the two vpcd readers; a card is removed once its verdict is out.
/// </summary>
internal sealed class WatchBenchmark(ReaderStateStore store, TextWriter progress)
{
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(30);

    /// <summary>How many insertions may be repeated because pcscd went away under them before the run gives up.</summary>
    private const int MaxInterruptions = 20;
    private static readonly ImmutableArray<byte> Atr = [.. Convert.FromHexString("3B8F8001804F0CA000000306030001000000006A")];

    internal sealed record Options(int Count, TimeSpan Idle, bool Restart);

    public async Task<string> RunAsync(Options options, ReaderStateStore.Subscription events, CancellationToken cancellationToken)
    {
        var report = new StringBuilder();
        var readers = DemoBench.Readers.Select(r => r.Reader).ToArray();
        await WaitForReadersAsync(events, readers, cancellationToken);

        // The first probe of each module configuration starts its probe host: measured apart.
        var cold = new List<Sample>();
        foreach (var reader in VirtualReaders())
        {
            cold.Add(await InsertOnceAsync(events, reader, cancellationToken));
        }

        // The soak: resident memory and open files of the watcher and of every probe host, now (after the cold probes)
        // and every tenth of the run, to see whether the steady state stays near the start.
        var soak = new List<string> { ResidentSample(0) };
        var sampleEvery = Math.Max(1, options.Count / 10);
        var samples = new List<Sample>();
        var interrupted = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Count; i++)
        {
            try
            {
                samples.Add(await InsertOnceAsync(events, VirtualReaders()[i % 2], cancellationToken));
            }
            catch (PcscdLostException) when (++interrupted <= MaxInterruptions)
            {
                // pcscd is one per machine: someone else restarted it (a test run). Drop this insertion, wait, redo it.
                await progress.WriteLineAsync("  pcscd went away during an insertion: waiting for it, then repeating that insertion");
                await NextAsync(events, WatchEventType.ServiceRestored, null, cancellationToken, TimeSpan.FromMinutes(2));
                i--;
                continue;
            }

            if ((i + 1) % sampleEvery == 0 || i + 1 == options.Count)
            {
                soak.Add(ResidentSample(i + 1));
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}/{options.Count} insertions: {soak[^1]}"));
            }
        }

        var elapsed = clock.Elapsed;
        report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"insertions: {options.Count} in {elapsed.TotalSeconds:F1} s (alternating {readers[0]} / {readers[1]}), states: {string.Join(", ", samples.GroupBy(s => s.Outcome).Select(g => $"{g.Key} {g.Count()}"))}; repeated after a pcscd restart by someone else: {interrupted}"));
        report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"cold first probe per profile (probe host start): {string.Join(", ", cold.Select(c => $"{c.Verdict.TotalMilliseconds:F0} ms"))}"));
        Percentiles(report, "card-inserted event -> published verdict", samples.Select(s => s.Verdict));
        Percentiles(report, "vpcd insertion -> card-inserted event (pcscd detection)", samples.Select(s => s.Detection));
        Percentiles(report, "vpcd insertion -> published verdict", samples.Select(s => s.Detection + s.Verdict));
        Percentiles(report, "vpcd removal -> card-removed event", samples.Select(s => s.Removal));
        report.AppendLine("soak (after N insertions: VmRSS of the watcher and each probe host; open files):");
        foreach (var line in soak)
        {
            report.AppendLine("  " + line);
        }


        await IdleAsync(report, options.Idle, cancellationToken);
        Memory(report);
        if (options.Restart)
        {
            await RestartAsync(report, events, cancellationToken);
        }

        return report.ToString();
    }

    private static VirtualReader[] VirtualReaders() => [VirtualReader.First, VirtualReader.Second];

    private async Task<Sample> InsertOnceAsync(ReaderStateStore.Subscription events, VirtualReader reader, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var card = await VirtualCard.InsertAsync(reader, Atr, EventBound);
        await using (card)
        {
            var inserted = await NextAsync(events, WatchEventType.CardInserted, reader.Name, cancellationToken, abortOnLoss: true);
            var verdict = await NextAsync(events, WatchEventType.Verdict, reader.Name, cancellationToken, abortOnLoss: true);
            var outcome = verdict.Entry.Check?.Verdict ?? verdict.Entry.Check?.State ?? "?";
            var removing = Stopwatch.GetTimestamp();
            await card.DisposeAsync();
            var removed = await NextAsync(events, WatchEventType.CardRemoved, reader.Name, cancellationToken, abortOnLoss: true);
            return new Sample(
                Stopwatch.GetElapsedTime(start, inserted.At),
                Stopwatch.GetElapsedTime(inserted.At, verdict.At),
                Stopwatch.GetElapsedTime(removing, removed.At),
                outcome);
        }
    }

    private async Task IdleAsync(StringBuilder report, TimeSpan idle, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  idle for {idle.TotalSeconds:F0} s ..."));
        var hosts = ProcessStats.Children();
        var before = ProcessStats.CpuTicks();
        var hostsBefore = hosts.Sum(h => ProcessStats.CpuTicks(h));
        var clock = Stopwatch.StartNew();
        await Task.Delay(idle, cancellationToken);
        var ticks = ProcessStats.CpuTicks() - before;
        var hostTicks = hosts.Sum(h => ProcessStats.CpuTicks(h)) - hostsBefore;
        var seconds = clock.Elapsed.TotalSeconds;
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"idle CPU over {seconds:F0} s: watcher {ticks} ticks = {ticks * 1000.0 / ProcessStats.TicksPerSecond:F0} ms ({ticks * 100.0 / ProcessStats.TicksPerSecond / seconds:F3} % of one core); {hosts.Count} probe host(s) {hostTicks} ticks"));
    }

    /// <summary>One soak sample: VmRSS of this process and of each probe host, and their open file descriptors.</summary>
    private static string ResidentSample(int insertions)
    {
        var hosts = ProcessStats.Children();
        return string.Create(CultureInfo.InvariantCulture,
            $"{insertions,4}: watcher {ProcessStats.StatusKib("VmRSS") / 1024.0:F1} MiB, {ProcessStats.OpenFiles()} fds; probe hosts {string.Join(", ", hosts.Select(h => $"{ProcessStats.StatusKib("VmRSS", h) / 1024.0:F1} MiB {ProcessStats.OpenFiles(h)} fds"))}");
    }

    private static void Memory(StringBuilder report)
    {
        var hosts = ProcessStats.Children();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"resident memory: watcher {ProcessStats.StatusKib("VmRSS") / 1024.0:F1} MiB (peak {ProcessStats.StatusKib("VmHWM") / 1024.0:F1} MiB); probe hosts {string.Join(", ", hosts.Select(h => $"{ProcessStats.StatusKib("VmRSS", h) / 1024.0:F1} MiB"))}"));
        report.AppendLine(GarbageCollection());
    }

    /// <summary>
    /// The watcher's garbage collector as it runs, to see which configuration took effect (docs/benchmarks.md,
    /// "Soak"): the settings the runtime reports, and the collections and heap they led to. The gen0 budget is not
    /// among the reported settings; the gen0 collection count shows it.
    /// </summary>
    private static string GarbageCollection()
    {
        var settings = GC.GetConfigurationVariables();
        string Setting(string name) => settings.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "-";
        var info = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture,
            $"watcher GC: concurrent {Setting("ConcurrentGC")}, server {Setting("ServerGC")}, conserve memory {Setting("GCConserveMem")}, heap hard limit {Setting("GCHeapHardLimit")}; collections gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}; heap {info.HeapSizeBytes / 1048576.0:F1} MiB, committed {info.TotalCommittedBytes / 1048576.0:F1} MiB");
    }

    /// <summary>Stops and starts pcscd with eng/pcscd-ctl.sh (root), then times the watcher's recovery and the next verdict.</summary>
    private async Task RestartAsync(StringBuilder report, ReaderStateStore.Subscription events, CancellationToken cancellationToken)
    {
        var script = DemoBench.FindHome() is { } home ? Path.Combine(home, "eng", "pcscd-ctl.sh") : null;
        if (script is null || !File.Exists(script) || Environment.UserName != "root")
        {
            report.AppendLine("pcscd restart: skipped (needs root and eng/pcscd-ctl.sh from the checkout)");
            return;
        }

        await progress.WriteLineAsync("  restarting pcscd ...");
        await RunAsync(script, "stop", cancellationToken);
        await NextAsync(events, WatchEventType.ServiceLost, null, cancellationToken);
        await RunAsync(script, "start", cancellationToken); // returns once pcscd lists both readers
        var ready = Stopwatch.GetTimestamp();
        var restored = await NextAsync(events, WatchEventType.ServiceRestored, null, cancellationToken);
        var next = await InsertOnceAsync(events, VirtualReader.First, cancellationToken);
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"pcscd restart: service-restored {Stopwatch.GetElapsedTime(ready, restored.At).TotalMilliseconds:F0} ms after pcscd listed its readers (reported gap {restored.Entry.GapMilliseconds:F0} ms); next insertion's verdict {next.Verdict.TotalMilliseconds:F0} ms after its event ({next.Outcome})"));
    }

    private static async Task RunAsync(string script, string argument, CancellationToken cancellationToken)
    {
        using var process = Process.Start(script, [argument]) ?? throw new InvalidOperationException("could not start " + script);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {argument} exited {process.ExitCode}");
        }
    }

    private async Task WaitForReadersAsync(ReaderStateStore.Subscription events, string[] readers, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!readers.All(r => store.Reader(r) is not null))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException(
                    $"the vpcd readers {string.Join(" and ", readers)} are not attached ({store.ServiceLostReason ?? "pcscd answers"}): start pcscd with vsmartcard-vpcd (sudo eng/start-pcscd.sh)");
            }

            await Task.Delay(50, cancellationToken);
        }

        while (events.Events.TryRead(out _))
        {
        }
    }

    /// <summary>The next event of <paramref name="type"/> (for <paramref name="reader"/>), with the time this subscriber received it.</summary>
    /// <exception cref="PcscdLostException"><paramref name="abortOnLoss"/> and pcscd went away first.</exception>
    private static async Task<(WatchEvent Entry, long At)> NextAsync(
        ReaderStateStore.Subscription events, WatchEventType type, string? reader, CancellationToken cancellationToken,
        TimeSpan? timeout = null, bool abortOnLoss = false)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout ?? EventBound);
        try
        {
            while (true)
            {
                var entry = await events.Events.ReadAsync(bound.Token);
                var at = Stopwatch.GetTimestamp();
                if (abortOnLoss && entry.Type == WatchEventType.ServiceLost)
                {
                    throw new PcscdLostException();
                }

                if (entry.Type == type && (reader is null || entry.ReaderName == reader))
                {
                    return (entry, at);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no {type} event{(reader is null ? "" : " for " + reader)} within {(timeout ?? EventBound).TotalSeconds:F0} s");
        }
    }

    private static void Percentiles(StringBuilder report, string what, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToArray();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {Rank(sorted, 0.50):F1} ms, p95 {Rank(sorted, 0.95):F1} ms, p99 {Rank(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms"));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>pcscd went away while an insertion was being timed.</summary>
    private sealed class PcscdLostException : Exception;

    private sealed record Sample(TimeSpan Detection, TimeSpan Verdict, TimeSpan Removal, string Outcome);
}
