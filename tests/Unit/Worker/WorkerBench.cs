using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenService.Contracts;
using TokenService.Drivers.Pcsc;
using TokenService.Locating;
using TokenService.Probing;
using TokenService.Tests.Unit.Drivers.Pcsc;
using TokenService.Worker;

namespace TokenService.Tests.Unit.Worker;

/// <summary>
/// A <see cref="CardWorker"/> on the fake PC/SC service, a fake clock, a prober the test answers, and an observer
/// that records what the telemetry would see; events are read from a subscription taken before it starts.
/// </summary>
internal sealed class WorkerBench : IAsyncDisposable
{
    /// <summary>Readers a binding covers; any other reader has none.</summary>
    public const string ReaderA = "Reader A";
    public const string ReaderB = "Reader B";
    public const string Unbound = "Unbound Reader";

    /// <summary>Real time a test waits for something the worker does at once.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly List<WatchEvent> _seen = [];
    private bool _stopped;

    public WorkerBench()
    {
        Store = new ReaderStateStore(Time, Options.Create(new WorkerOptions()));
        var monitor = new ReaderMonitor(Pcsc, Time, NullLogger<ReaderMonitor>.Instance, new ReaderMonitorOptions());
        Events = Store.Subscribe();
        Worker = new CardWorker(monitor, new BenchLocator(), Prober, Store, Observer, Time, NullLogger<CardWorker>.Instance);
    }

    public FakePcscApi Pcsc { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public ReaderStateStore Store { get; }

    public ScriptedProber Prober { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public CardWorker Worker { get; }

    public ReaderStateStore.Subscription Events { get; }

    /// <summary>Every event read so far, in order.</summary>
    public IReadOnlyList<WatchEvent> Seen => _seen;

    public static ProbeTarget TargetOf(string reader) =>
        new("/fake/" + reader.Replace(' ', '-') + ".so", new Dictionary<string, string>(), "token-" + reader[^1], null, null);

    public static ProbeOutcome Verdict(string verdict, string label = "token") => new(
        ProbeStatus.Completed,
        new TokenReport
        {
            Module = new ModuleEntry { Path = "/fake/module.so" },
            Server = new ServerModelEntry { Source = "stock-openssl3" },
            Tokens = [new TokenEntry { Label = label, Verdict = verdict }],
            Verdict = verdict,
        },
        null,
        TimeSpan.FromMilliseconds(1));

    public Task StartAsync() => Worker.StartAsync(CancellationToken.None);

    /// <summary>
    /// Stops the worker. The monitor's stop repeats SCardCancel on the fake clock when its first one lands before the
    /// watch thread blocks, so the clock is moved meanwhile (a probe outliving shutdown would see it too).
    /// </summary>
    public async Task StopAsync()
    {
        _stopped = true;
        var stopping = Worker.StopAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (!stopping.IsCompleted)
        {
            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException("the worker did not stop");
            }

            Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        await stopping;
    }

    /// <summary>
    /// Reads events until one of <paramref name="type"/> (for <paramref name="reader"/>, and <paramref name="match"/>)
    /// comes; fails listing what came.
    /// </summary>
    public async Task<WatchEvent> NextAsync(WatchEventType type, string? reader = null, Func<WatchEvent, bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(Bound);
        try
        {
            while (true)
            {
                var entry = await Events.Events.ReadAsync(deadline.Token);
                _seen.Add(entry);
                if (entry.Type == type && (reader is null || entry.ReaderName == reader) && (match is null || match(entry)))
                {
                    return entry;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no {type} within {Bound}; seen {Describe()}");
        }
    }

    /// <summary>Events already published and not read yet.</summary>
    public List<WatchEvent> Drain()
    {
        var drained = new List<WatchEvent>();
        while (Events.Events.TryRead(out var entry))
        {
            _seen.Add(entry);
            drained.Add(entry);
        }

        return drained;
    }

    public string Describe() => string.Join(", ", _seen.Select(e => $"{e.Type}({e.ReaderName} {e.State?.State} {e.Check?.State})"));

    /// <summary>Waits until <paramref name="condition"/> holds, in real time.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException("not reached: " + what);
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        Events.Dispose();
        Worker.Dispose();
    }

    private sealed class BenchLocator : ITokenLocator
    {
        public ProbeTarget? Locate(string reader, ImmutableArray<byte> atr) =>
            reader is ReaderA or ReaderB ? TargetOf(reader) : null;
    }
}

/// <summary>A prober whose probes the test answers one by one (<see cref="NextAsync"/>).</summary>
internal sealed class ScriptedProber : ITokenProber
{
    private readonly Channel<PendingProbe> _started = Channel.CreateUnbounded<PendingProbe>();

    public Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var probe = new PendingProbe(target, cancellationToken);
        _started.Writer.TryWrite(probe);
        return probe.Outcome;
    }

    /// <summary>The next probe the worker started.</summary>
    public async Task<PendingProbe> NextAsync()
    {
        using var deadline = new CancellationTokenSource(WorkerBench.Bound);
        try
        {
            return await _started.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException("no probe started");
        }
    }

    public bool AnyStarted => _started.Reader.TryPeek(out _);
}

/// <summary>One probe in flight: deaf to cancellation (a module that does not notice) unless told otherwise.</summary>
internal sealed class PendingProbe(ProbeTarget target, CancellationToken cancellation)
{
    private readonly TaskCompletionSource<ProbeOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProbeTarget Target { get; } = target;

    public CancellationToken Cancellation { get; } = cancellation;

    public Task<ProbeOutcome> Outcome => _outcome.Task;

    public void Answer(ProbeOutcome outcome) => _outcome.SetResult(outcome);

    /// <summary>From now on the probe ends as soon as it is cancelled, as the out-of-process prober does.</summary>
    public void HonourCancellation() => Cancellation.Register(() => _outcome.TrySetCanceled(Cancellation));
}

/// <summary>Records what the worker tells its observer (what the telemetry counts and traces).</summary>
internal sealed class RecordingObserver : IWatcherObserver
{
    private readonly ConcurrentQueue<FinishedCheck> _checks = new();
    private readonly ConcurrentQueue<ProbeRun> _runs = new();
    private readonly ConcurrentQueue<TimeSpan> _restored = new();

    public IReadOnlyList<FinishedCheck> Checks => [.. _checks];

    public IReadOnlyList<ProbeRun> Runs => [.. _runs];

    public IReadOnlyList<TimeSpan> Restored => [.. _restored];

    public void CheckFinished(FinishedCheck check) => _checks.Enqueue(check);

    public void ProbeEnded(ProbeRun run) => _runs.Enqueue(run);

    public void ServiceRestored(TimeSpan gap) => _restored.Enqueue(gap);

    public Task RunsAsync(int count) => WorkerBench.UntilAsync(() => _runs.Count >= count, $"{count} probe outcomes taken");
}
