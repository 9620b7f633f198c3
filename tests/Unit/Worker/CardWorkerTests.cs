using System.Collections.Immutable;
using TokenService.Contracts;
using TokenService.Drivers.Pcsc;
using TokenService.Probing;
using TokenService.Worker;
using Xunit;
using static TokenService.Tests.Unit.Worker.WorkerBench;

namespace TokenService.Tests.Unit.Worker;

/// <summary>
/// The worker's flows on a fake PC/SC service and a fake clock: what it publishes, what it records, and what it
/// tells its observer, for insertion, removal, a second card or a recheck during a probe, pcscd lost and back,
/// a watch that fails, and shutdown.
/// </summary>
public sealed class CardWorkerTests
{
    private static readonly ImmutableArray<byte> AtrX = [0x3B, 0x02, 0x14, 0x50];
    private static readonly ImmutableArray<byte> AtrY = [0x3B, 0x02, 0x14, 0x51];

    [Fact]
    public async Task CardInserted_IntoABoundReader_IsProbed_AndItsVerdictPublished_WithTheDurationOnTheInjectedClock()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA);
        await bench.StartAsync();
        await bench.NextAsync(WatchEventType.ReaderAttached, ReaderA);

        bench.Pcsc.SetReader(ReaderA, AtrX);
        var probe = await bench.Prober.NextAsync();
        bench.Time.Advance(TimeSpan.FromMilliseconds(1500));
        probe.Answer(Verdict("compatible"));
        var verdict = await bench.NextAsync(WatchEventType.Verdict, ReaderA);

        Assert.Equal((TargetOf(ReaderA).Module, "token-A"), (probe.Target.Module, probe.Target.TokenLabel));
        Assert.Equal(
            [WatchEventType.ReaderAttached, WatchEventType.CardInserted, WatchEventType.ProbeStarted, WatchEventType.Verdict],
            bench.Seen.Select(e => e.Type));
        Assert.Equal(ReaderStateNames.Probing, bench.Seen[2].State!.State);
        Assert.Equal((true, "3B021450", ReaderStateNames.Verdict, "compatible"), (verdict.State!.CardPresent, verdict.State.Atr, verdict.State.State, verdict.State.Report!.Verdict));
        Assert.Equal((ReaderStateNames.Verdict, "compatible", "token-A", 1500d), (verdict.Check!.State, verdict.Check.Verdict, verdict.Check.TokenLabel, verdict.Check.DurationMilliseconds));
        Assert.Equal(verdict.State, bench.Store.Reader(ReaderA));
        Assert.Equal(new FinishedCheck(ReaderState.Verdict, "compatible", null), Assert.Single(bench.Observer.Checks) with { Atr = null, Report = null });
        var run = Assert.Single(bench.Observer.Runs);
        Assert.Equal((ReaderA, ProbeDrop.None, TimeSpan.FromMilliseconds(1500)), (run.Reader, run.Dropped, run.Elapsed));
        Assert.Equal(0, bench.Store.ProbesInFlight);
    }

    [Fact]
    public async Task CardRemoved_AfterItsVerdict_ClearsTheReader_WithoutAnotherCheck()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        (await bench.Prober.NextAsync()).Answer(Verdict("tls12-only"));
        await bench.NextAsync(WatchEventType.Verdict, ReaderA);

        bench.Pcsc.SetReader(ReaderA);
        var removed = await bench.NextAsync(WatchEventType.CardRemoved, ReaderA);

        Assert.Equal((false, (string?)null, ReaderStateNames.Empty, (TokenReport?)null), (removed.State!.CardPresent, removed.State.Atr, removed.State.State, removed.State.Report));
        Assert.Equal((ReaderStateNames.Verdict, "tls12-only"), (Assert.Single(bench.Store.History()).State, bench.Store.History()[0].Verdict));
        Assert.Single(bench.Observer.Checks);
        Assert.Empty(bench.Drain());
    }

    [Fact]
    public async Task CardInserted_IntoAReaderNoBindingCovers_PublishesNoBinding_AndProbesNothing()
    {
        await using var bench = new WorkerBench();
        await bench.StartAsync();

        bench.Pcsc.SetReader(Unbound, AtrX);
        var verdict = await bench.NextAsync(WatchEventType.Verdict, Unbound);

        Assert.Equal((ReaderStateNames.NoBinding, ReaderStateNames.NoBinding), (verdict.State!.State, verdict.Check!.State));
        Assert.Equal("no binding for reader 'Unbound Reader' (ATR 3B021450): add one to the bindings file", verdict.State.Error);
        Assert.DoesNotContain(bench.Seen, e => e.Type == WatchEventType.ProbeStarted);
        Assert.False(bench.Prober.AnyStarted);
        Assert.Equal(ReaderState.NoBinding, Assert.Single(bench.Observer.Checks).State);
    }

    [Fact]
    public async Task CardRemoved_DuringItsProbe_PublishesRemovedDuringProbe_CancelsTheProbe_AndDropsItsLateVerdict()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var probe = await bench.Prober.NextAsync();

        bench.Pcsc.SetReader(ReaderA);
        var removed = await bench.NextAsync(WatchEventType.CardRemoved, ReaderA);
        var check = await bench.NextAsync(WatchEventType.Verdict, ReaderA);
        probe.Answer(Verdict("compatible")); // the module did not notice and finished anyway
        await bench.Observer.RunsAsync(1);

        Assert.True(probe.Cancellation.IsCancellationRequested);
        Assert.Equal((false, ReaderStateNames.RemovedDuringProbe), (removed.State!.CardPresent, removed.State.State));
        Assert.Equal((ReaderStateNames.RemovedDuringProbe, (string?)null, "token-A"), (check.Check!.State, check.Check.Verdict, check.Check.TokenLabel));
        Assert.Empty(bench.Drain()); // the late verdict is not published
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, Assert.Single(bench.Store.History()).State);
        Assert.Equal((ReaderStateNames.RemovedDuringProbe, (TokenReport?)null), (bench.Store.Reader(ReaderA)!.State, bench.Store.Reader(ReaderA)!.Report));
        Assert.Equal(ReaderState.RemovedDuringProbe, Assert.Single(bench.Observer.Checks).State);
        Assert.Equal((ProbeDrop.CardGone, (FinishedCheck?)null), (bench.Observer.Runs[0].Dropped, bench.Observer.Runs[0].Check));
        Assert.Equal(0, bench.Store.ProbesInFlight);
    }

    [Fact]
    public async Task SecondCardInserted_WhileTheFirstIsProbed_GetsItsOwnVerdict_AndNeverTheFirstCardsLateOne()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var first = await bench.Prober.NextAsync();

        bench.Pcsc.SetReader(ReaderA, AtrY); // pcscd sees another ATR: the first card left, a second came
        var second = await bench.Prober.NextAsync();
        first.Answer(Verdict("compatible"));
        await bench.Observer.RunsAsync(1);
        second.Answer(Verdict("tls12-only"));
        var verdict = await bench.NextAsync(WatchEventType.Verdict, ReaderA, e => e.Check!.State == ReaderStateNames.Verdict);

        Assert.True(first.Cancellation.IsCancellationRequested);
        Assert.False(second.Cancellation.IsCancellationRequested);
        var checks = bench.Seen.Where(e => e.Type == WatchEventType.Verdict).Select(e => (e.Check!.Atr, e.Check.State, e.Check.Verdict));
        Assert.Equal([("3B021450", ReaderStateNames.RemovedDuringProbe, (string?)null), ("3B021451", ReaderStateNames.Verdict, "tls12-only")], checks);
        Assert.Equal(("3B021451", "tls12-only"), (verdict.State!.Atr, verdict.State.Report!.Verdict));
        Assert.Equal([ProbeDrop.CardGone, ProbeDrop.None], bench.Observer.Runs.Select(r => r.Dropped));
        Assert.Equal([ReaderState.RemovedDuringProbe, ReaderState.Verdict], bench.Observer.Checks.Select(c => c.State));
    }

    [Fact]
    public async Task Recheck_OfACardWithAVerdict_ProbesItAgain_AndPublishesTheNewVerdict()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        bench.Pcsc.SetReader(ReaderB);
        await bench.StartAsync();
        (await bench.Prober.NextAsync()).Answer(Verdict("compatible"));
        await bench.NextAsync(WatchEventType.Verdict, ReaderA);
        await UntilAsync(() => bench.Store.Reader(ReaderB) is not null, "Reader B attached");

        Assert.Equal(RecheckResult.NoSuchReader, bench.Worker.RequestRecheck("Reader Z"));
        Assert.Equal(RecheckResult.NoCard, bench.Worker.RequestRecheck(ReaderB));
        Assert.Equal(RecheckResult.Accepted, bench.Worker.RequestRecheck(ReaderA));
        var started = await bench.NextAsync(WatchEventType.ProbeStarted, ReaderA);
        (await bench.Prober.NextAsync()).Answer(Verdict("incompatible"));
        var verdict = await bench.NextAsync(WatchEventType.Verdict, ReaderA);

        Assert.Equal((ReaderStateNames.Probing, (TokenReport?)null), (started.State!.State, started.State.Report));
        Assert.Equal("incompatible", verdict.State!.Report!.Verdict);
        Assert.Equal(["incompatible", "compatible"], bench.Store.History().Select(h => h.Verdict));
        Assert.Equal([ProbeDrop.None, ProbeDrop.None], bench.Observer.Runs.Select(r => r.Dropped));
    }

    [Fact]
    public async Task Recheck_WhileTheCardIsProbed_SupersedesTheRunningProbe_AndOnlyTheNewVerdictIsPublished()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var first = await bench.Prober.NextAsync();
        await bench.NextAsync(WatchEventType.ProbeStarted, ReaderA);

        Assert.Equal(RecheckResult.Accepted, bench.Worker.RequestRecheck(ReaderA));
        var second = await bench.Prober.NextAsync();
        first.Answer(Verdict("compatible"));
        await bench.Observer.RunsAsync(1);
        second.Answer(Verdict("tls12-only"));
        var verdict = await bench.NextAsync(WatchEventType.Verdict, ReaderA);

        Assert.True(first.Cancellation.IsCancellationRequested);
        Assert.Equal("tls12-only", verdict.State!.Report!.Verdict);
        Assert.Single(bench.Seen, e => e.Type == WatchEventType.Verdict);
        Assert.Equal("tls12-only", Assert.Single(bench.Store.History()).Verdict);
        Assert.Equal([ProbeDrop.Superseded, ProbeDrop.None], bench.Observer.Runs.Select(r => r.Dropped));
        Assert.Equal(new FinishedCheck(ReaderState.Verdict, "tls12-only", null), Assert.Single(bench.Observer.Checks) with { Atr = null, Report = null });
    }

    [Fact]
    public async Task PcscdLostAndRestored_IsPublishedOnce_WithWhatChangedInTheGap_AndTheCardInsertedMeanwhileIsProbed()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        (await bench.Prober.NextAsync()).Answer(Verdict("compatible"));
        await bench.NextAsync(WatchEventType.Verdict, ReaderA);
        var attempts = bench.Pcsc.EstablishCalls;

        bench.Pcsc.StopService();
        var lost = await bench.NextAsync(WatchEventType.ServiceLost);
        await UntilAsync(() => bench.Pcsc.EstablishCalls == attempts + 1, "the first reconnect attempt");
        Assert.Equal("SCardGetStatusChange: SCARD_F_COMM_ERROR", bench.Store.ServiceLostReason);
        bench.Pcsc.SetReader(ReaderA); // the card left while pcscd was away
        bench.Pcsc.SetReader(ReaderB, AtrY); // and a reader came with a card
        bench.Pcsc.StartService();
        var gap = TimeSpan.Zero;
        WatchEvent? restored = null;
        while (restored is null)
        {
            Assert.True(gap < TimeSpan.FromMinutes(1), "no service-restored; seen " + bench.Describe());
            bench.Time.Advance(TimeSpan.FromSeconds(1)); // the reconnect backoff runs on the injected clock
            gap += TimeSpan.FromSeconds(1);
            await Task.Delay(50);
            restored = bench.Drain().FirstOrDefault(e => e.Type == WatchEventType.ServiceRestored);
        }

        (await bench.Prober.NextAsync()).Answer(Verdict("tls12-only"));
        var verdict = await bench.NextAsync(WatchEventType.Verdict, ReaderB);

        Assert.Equal("SCardGetStatusChange: SCARD_F_COMM_ERROR", lost.Reason);
        // The gap is measured on the injected clock: a whole number of the one-second steps above, at least one and at
        // most all of them (the restore may be drained a step after it happened on a busy machine), never wall time.
        var measured = TimeSpan.FromMilliseconds(restored.GapMilliseconds!.Value);
        Assert.True(
            measured >= TimeSpan.FromSeconds(1) && measured <= gap && measured.Ticks % TimeSpan.TicksPerSecond == 0,
            $"gap {measured} after advancing {gap}");
        var after = bench.Seen.SkipWhile(e => e != lost).Select(e => (e.Type, e.ReaderName)).ToList();
        Assert.Equal(
            [
                (WatchEventType.ServiceLost, null), (WatchEventType.CardRemoved, ReaderA), (WatchEventType.ReaderAttached, ReaderB),
                (WatchEventType.CardInserted, ReaderB), (WatchEventType.ProbeStarted, ReaderB), (WatchEventType.ServiceRestored, null),
                (WatchEventType.Verdict, ReaderB),
            ],
            after);
        Assert.Single(bench.Seen, e => e.Type == WatchEventType.ServiceLost);
        Assert.Equal("tls12-only", verdict.State!.Report!.Verdict);
        Assert.Null(bench.Store.ServiceLostReason);
        Assert.Equal([measured], bench.Observer.Restored);
        Assert.Equal([ReaderA, ReaderB], bench.Store.Readers().Select(r => r.Name));
    }

    [Fact]
    public async Task WatchFailing_WithAPcscCodeThatIsNotTheServiceGoingAway_EndsTheWorkerWithIt_AndCancelsItsProbes()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var probe = await bench.Prober.NextAsync();
        probe.HonourCancellation();

        var failures = 1;
        bench.Pcsc.BeforeListReaders = () =>
        {
            if (Interlocked.Exchange(ref failures, 0) == 1)
            {
                throw new PcscException("SCardListReaders", PcscErrors.UnknownError);
            }
        };
        bench.Pcsc.SetReader(ReaderB); // wakes the watch, which lists the readers
        var failure = await Assert.ThrowsAsync<PcscException>(() => bench.Worker.ExecuteTask!.WaitAsync(Bound));

        Assert.Equal(PcscErrors.UnknownError, failure.Code);
        Assert.True(probe.Cancellation.IsCancellationRequested);
        Assert.Equal(0, bench.Store.ProbesInFlight);
        Assert.Equal(ProbeDrop.Shutdown, Assert.Single(bench.Observer.Runs).Dropped);
        Assert.DoesNotContain(bench.Drain(), e => e.Type is WatchEventType.ServiceLost or WatchEventType.Verdict);
        Assert.Equal(1, bench.Pcsc.EstablishCalls); // no second watch: the monitor alone reconnects, and only to a lost pcscd
    }

    [Fact]
    public async Task Shutdown_WhileAProbeRuns_CancelsIt_AndPublishesNoVerdict()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var probe = await bench.Prober.NextAsync();
        probe.HonourCancellation();
        await bench.NextAsync(WatchEventType.ProbeStarted, ReaderA);

        await bench.StopAsync();

        Assert.True(probe.Cancellation.IsCancellationRequested);
        Assert.True(bench.Worker.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Empty(bench.Drain());
        Assert.Empty(bench.Store.History());
        Assert.Equal(0, bench.Store.ProbesInFlight);
        Assert.Equal(ProbeDrop.Shutdown, Assert.Single(bench.Observer.Runs).Dropped);
        Assert.Empty(bench.Observer.Checks);
        Assert.Equal(RecheckResult.Stopping, bench.Worker.RequestRecheck(ReaderA));
    }

    [Fact]
    public async Task Shutdown_WithAProbeThatIgnoresCancellation_WaitsTheBoundOnTheInjectedClock_ThenEnds()
    {
        await using var bench = new WorkerBench();
        bench.Pcsc.SetReader(ReaderA, AtrX);
        await bench.StartAsync();
        var probe = await bench.Prober.NextAsync(); // deaf: never ends by itself
        await bench.NextAsync(WatchEventType.ProbeStarted, ReaderA);

        var stopping = bench.Worker.StopAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var endedWithoutTimePassing = stopping.IsCompleted;
        bench.Time.Advance(CardWorker.ProbeShutdownBound - TimeSpan.FromMilliseconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var endedBeforeTheBound = stopping.IsCompleted;
        await bench.StopAsync(); // moves the clock on until it ends

        Assert.False(endedWithoutTimePassing);
        Assert.False(endedBeforeTheBound);
        Assert.True(probe.Cancellation.IsCancellationRequested);
        Assert.Equal(1, bench.Store.ProbesInFlight); // it never came back
        Assert.Empty(bench.Observer.Runs);
        Assert.DoesNotContain(bench.Drain(), e => e.Type == WatchEventType.Verdict);
    }
}
