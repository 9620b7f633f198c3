using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenService.Contracts;
using TokenService.Probing;
using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

public sealed class ReaderStateStoreTests
{
    private const string Reader = "Virtual PCD 00 00";
    private static readonly ImmutableArray<byte> Atr = [0x3B, 0x02, 0x14, 0x50];
    private static readonly ProbeTarget Target = new("/usr/lib/softhsm/libsofthsm2.so", new Dictionary<string, string>(), "rsa2048-full", null, "/bench/pin");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void CompleteProbe_OfTheCurrentProbe_PublishesTheVerdictAndRecordsTheCheck()
    {
        var store = NewStore();
        using var events = store.Subscribe();
        var id = InsertAndBegin(store);
        _time.Advance(TimeSpan.FromMilliseconds(120));

        var completion = store.CompleteProbe(id, Completed("tls12-only"));

        Assert.Equal(ProbeDrop.None, completion.Dropped);
        var reader = store.Reader(Reader)!;
        Assert.Equal((true, "3B021450", ReaderStateNames.Verdict, "tls12-only"), (reader.CardPresent, reader.Atr, reader.State, reader.Report!.Verdict));
        var check = Assert.Single(store.History());
        Assert.Equal((ReaderStateNames.Verdict, "tls12-only", "rsa2048-full", Target.Module, 120d), (check.State, check.Verdict, check.TokenLabel, check.Module, check.DurationMilliseconds));
        Assert.Equal(
            [WatchEventType.ReaderAttached, WatchEventType.CardInserted, WatchEventType.ProbeStarted, WatchEventType.Verdict],
            Drain(events).Select(e => e.Type));
    }

    [Fact]
    public void CardRemoved_DuringAProbe_RecordsRemovedDuringProbe_AndTheLateResultIsDropped()
    {
        var store = NewStore();
        var id = InsertAndBegin(store);
        using var events = store.Subscribe();

        Assert.Equal(new FinishedCheck(ReaderState.RemovedDuringProbe, null, "the card was removed while it was being read: reinsert it"), store.CardRemoved(Reader)! with { Atr = null });
        var late = store.CompleteProbe(id, Completed("compatible"));

        Assert.Equal(ProbeDrop.CardGone, late.Dropped);
        var reader = store.Reader(Reader)!;
        Assert.Equal((false, (string?)null, ReaderStateNames.RemovedDuringProbe, (TokenReport?)null), (reader.CardPresent, reader.Atr, reader.State, reader.Report));
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, Assert.Single(store.History()).State);
        var published = Drain(events);
        Assert.Equal([WatchEventType.CardRemoved, WatchEventType.Verdict], published.Select(e => e.Type));
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, published[1].Check!.State);
    }

    [Fact]
    public void CompleteProbe_AfterTheCardWasReplaced_IsDropped_AndTheNewCardIsNotGivenTheOldVerdict()
    {
        var store = NewStore();
        var old = InsertAndBegin(store);
        store.CardRemoved(Reader);
        store.CardInserted(Reader, [0x3B, 0x00]);

        var late = store.CompleteProbe(old, Completed("compatible"));

        Assert.Equal(ProbeDrop.CardGone, late.Dropped);
        Assert.Equal((ReaderStateNames.Empty, (TokenReport?)null), (store.Reader(Reader)!.State, store.Reader(Reader)!.Report));
    }

    [Fact]
    public void CompleteProbe_SupersededByARecheck_IsDropped_AndOnlyTheNewProbeCounts()
    {
        var store = NewStore();
        var first = InsertAndBegin(store);
        var second = store.BeginProbe(Reader, Target)!.Value.Id;

        Assert.Equal(ProbeDrop.Superseded, store.CompleteProbe(first, Completed("incompatible")).Dropped);
        Assert.Equal(ReaderStateNames.Probing, store.Reader(Reader)!.State);
        Assert.Equal(ProbeDrop.None, store.CompleteProbe(second, Completed("compatible")).Dropped);
        Assert.Equal("compatible", Assert.Single(store.History()).Verdict);
    }

    [Fact]
    public void BeginProbe_WhileAProbeRuns_CancelsTheRunningProbe_AndOnlyTheNewOneIsWanted()
    {
        var store = NewStore();
        store.ReaderAttached(Reader);
        store.CardInserted(Reader, Atr);
        var first = store.BeginProbe(Reader, Target)!.Value;

        var second = store.BeginProbe(Reader, Target)!.Value;

        Assert.True(first.Cancellation.IsCancellationRequested);
        Assert.False(second.Cancellation.IsCancellationRequested);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, store.ProbesInFlight);
    }

    [Fact]
    public void CardRemoved_DuringAProbe_CancelsIt()
    {
        var store = NewStore();
        store.ReaderAttached(Reader);
        store.CardInserted(Reader, Atr);
        var probe = store.BeginProbe(Reader, Target)!.Value;

        store.CardRemoved(Reader);

        Assert.True(probe.Cancellation.IsCancellationRequested);
        Assert.Equal(1, store.ProbesInFlight); // until its outcome comes back
        store.CompleteProbe(probe.Id, Completed("compatible"));
        Assert.Equal(0, store.ProbesInFlight);
    }

    [Fact]
    public void CancelProbes_CancelsEveryProbe_AndTheirResultsAreDroppedUnpublished()
    {
        var store = NewStore();
        var id = InsertAndBegin(store);
        using var events = store.Subscribe();

        store.CancelProbes();
        var late = store.CompleteProbe(id, Completed("compatible"));

        Assert.Equal((ProbeDrop.Shutdown, (FinishedCheck?)null), (late.Dropped, late.Check));
        Assert.Empty(Drain(events));
        Assert.Empty(store.History());
    }

    [Fact]
    public void CompleteProbe_Twice_IsMisuse()
    {
        var store = NewStore();
        var id = InsertAndBegin(store);
        store.CompleteProbe(id, Completed("compatible"));

        Assert.Throws<ArgumentException>(() => store.CompleteProbe(id, Completed("compatible")));
    }

    [Fact]
    public void ReaderStateName_EveryState_HasItsOwnContractName()
    {
        var names = Enum.GetValues<ReaderState>().Select(s => s.Name()).ToList();

        Assert.Equal(
            [ReaderStateNames.Empty, ReaderStateNames.Probing, ReaderStateNames.Verdict, ReaderStateNames.RemovedDuringProbe, ReaderStateNames.ModuleFailed, ReaderStateNames.NoBinding],
            names);
        Assert.Throws<System.Runtime.CompilerServices.SwitchExpressionException>(() => ((ReaderState)99).Name());
    }

    [Fact]
    public void CardRemoved_AfterItsVerdict_ClearsTheVerdict()
    {
        var store = NewStore();
        store.CompleteProbe(InsertAndBegin(store), Completed("compatible"));

        Assert.Null(store.CardRemoved(Reader));

        var reader = store.Reader(Reader)!;
        Assert.Equal((false, ReaderStateNames.Empty, (TokenReport?)null, (string?)null), (reader.CardPresent, reader.State, reader.Report, reader.Error));
    }

    [Theory]
    [InlineData((int)ProbeStatus.ModuleFailed, "module crashed", ReaderStateNames.ModuleFailed, "module crashed")]
    [InlineData((int)ProbeStatus.TokenNotFound, null, ReaderStateNames.ModuleFailed, "no token labelled 'rsa2048-full' in /usr/lib/softhsm/libsofthsm2.so")]
    [InlineData((int)ProbeStatus.RemovedDuringProbe, null, ReaderStateNames.RemovedDuringProbe, "the card was removed while it was being read: reinsert it")]
    public void CompleteProbe_WithoutAReport_GivesTheStateAndWhy(int status, string? error, string state, string why)
    {
        var store = NewStore();

        store.CompleteProbe(InsertAndBegin(store), new ProbeOutcome((ProbeStatus)status, null, error, TimeSpan.FromMilliseconds(5)));

        var reader = store.Reader(Reader)!;
        Assert.Equal((state, why, (TokenReport?)null), (reader.State, reader.Error, reader.Report));
    }

    [Fact]
    public void History_KeepsTheNewestChecksUpToItsCapacity()
    {
        var store = NewStore(historyCapacity: 3);
        store.ReaderAttached(Reader);
        for (var i = 0; i < 5; i++)
        {
            store.CardInserted(Reader, [(byte)i]);
            store.NoBinding(Reader, $"no binding {i}");
        }

        Assert.Equal(["no binding 4", "no binding 3", "no binding 2"], store.History().Select(h => h.Error));
    }

    [Fact]
    public void Subscribe_ASubscriberThatDoesNotRead_LosesItsOldestEvents_CountedAndNumbered_WithoutHoldingUpOthers()
    {
        var store = NewStore(subscriberBuffer: 4);
        using var stuck = store.Subscribe();
        using var reading = store.Subscribe();
        var seen = new List<WatchEvent>();

        store.ReaderAttached(Reader);
        for (var i = 0; i < 9; i++)
        {
            store.CardInserted(Reader, [(byte)i]); // never blocks, whatever the subscribers do
            seen.AddRange(Drain(reading));
        }

        Assert.Equal(10, seen.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seen.Select(e => e.Sequence));
        Assert.Equal(6, stuck.Dropped);
        Assert.Equal([7L, 8, 9, 10], Drain(stuck).Select(e => e.Sequence));
        Assert.Equal(0, reading.Dropped);
    }

    [Fact]
    public void Subscription_Disposed_IsCompletedAndNoLongerFed()
    {
        var store = NewStore();
        var subscription = store.Subscribe();

        subscription.Dispose();
        store.ReaderAttached(Reader);

        Assert.True(subscription.Events.Completion.IsCompleted);
        Assert.False(subscription.Events.TryRead(out _));
    }

    [Fact]
    public void ServiceLostThenRestored_IsPublished_AndKnownUntilRestored()
    {
        var store = NewStore();
        using var events = store.Subscribe();

        store.ServiceLost("SCardGetStatusChange: SCARD_F_COMM_ERROR");
        Assert.Equal("SCardGetStatusChange: SCARD_F_COMM_ERROR", store.ServiceLostReason);
        store.ServiceRestored(TimeSpan.FromMilliseconds(1500));

        Assert.Null(store.ServiceLostReason);
        var published = Drain(events);
        Assert.Equal([WatchEventType.ServiceLost, WatchEventType.ServiceRestored], published.Select(e => e.Type));
        Assert.Equal(1500d, published[1].GapMilliseconds);
    }

    [Fact]
    public void CardInserted_WithItsName_ReaderAndHistoryCarryIt_AndRemovalClearsTheReader()
    {
        var store = NewStore();
        var card = new CardNameEntry { Atr = "3B021450", Names = ["Schlumberger Multiflex 3k"], Family = "jpki", Families = ["jpki"] };
        store.ReaderAttached(Reader);

        store.CardInserted(Reader, Atr, card);
        var id = store.BeginProbe(Reader, Target)!.Value.Id;
        store.CompleteProbe(id, Completed("tls12-only"));
        store.CardRemoved(Reader);

        Assert.Equal(card, Assert.Single(store.History()).Card);
        Assert.Null(store.Reader(Reader)!.Card);
    }

    [Fact]
    public void CardRemoved_DuringAProbe_TheRemovedDuringProbeCheckKeepsTheCardName()
    {
        var store = NewStore();
        var card = new CardNameEntry { Atr = "3B021450", Family = "dnie", Families = ["dnie"] };
        store.ReaderAttached(Reader);
        store.CardInserted(Reader, Atr, card);
        store.BeginProbe(Reader, Target);

        store.CardRemoved(Reader);

        var check = Assert.Single(store.History());
        Assert.Equal((ReaderStateNames.RemovedDuringProbe, "dnie"), (check.State, check.Card?.Family));
    }

    private ReaderStateStore NewStore(int historyCapacity = 100, int subscriberBuffer = 256) =>
        new(_time, Options.Create(new WorkerOptions { HistoryCapacity = historyCapacity, SubscriberBuffer = subscriberBuffer }));

    private static long InsertAndBegin(ReaderStateStore store)
    {
        store.ReaderAttached(Reader);
        store.CardInserted(Reader, Atr);
        return store.BeginProbe(Reader, Target)!.Value.Id;
    }

    private static ProbeOutcome Completed(string verdict) => new(
        ProbeStatus.Completed,
        new TokenReport
        {
            Module = new ModuleEntry { Path = Target.Module },
            Server = new ServerModelEntry { Source = "stock-openssl3" },
            Tokens = [new TokenEntry { Label = "rsa2048-full", Verdict = verdict }],
            Verdict = verdict,
        },
        null,
        TimeSpan.FromMilliseconds(100));

    private static List<WatchEvent> Drain(ReaderStateStore.Subscription subscription)
    {
        var events = new List<WatchEvent>();
        while (subscription.Events.TryRead(out var entry))
        {
            events.Add(entry);
        }

        return events;
    }
}
