using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TokenService.Drivers.Pcsc;
using TokenService.Tests.Shared.Pcsc;
using Xunit;

namespace TokenService.Tests.Unit.Drivers.Pcsc;

public sealed class ReaderMonitorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(1);
    private static readonly ImmutableArray<byte> AtrX = [0x3B, 0x02, 0x14, 0x50];
    private static readonly ImmutableArray<byte> AtrY = [0x3B, 0x02, 0x14, 0x51];
    private static readonly ImmutableArray<byte> AtrZ = [0x3B, 0x02, 0x14, 0x52];

    private readonly FakePcscApi _pcsc = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task WatchAsync_ServiceLostAndBack_ReportsWhatChangedInTheGap_ThenRestoredWithTheGapInTheInjectedTime()
    {
        _pcsc.SetReader("A", AtrX);
        _pcsc.SetReader("B");
        await using var watch = new WatchRecorder(NewMonitor());
        await watch.NextAsync<ReaderAttached>(Bound, e => e.Reader == "B");
        var attempts = _pcsc.EstablishCalls;

        _pcsc.StopService();
        var lost = await watch.NextAsync<ServiceLost>(Bound);
        await UntilAsync(() => _pcsc.EstablishCalls == attempts + 1); // the immediate attempt failed; now in backoff
        _pcsc.RemoveReader("A");
        _pcsc.SetReader("B", AtrZ);
        _pcsc.SetReader("C", AtrY);
        _pcsc.StartService();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var attemptsWithoutTimePassing = _pcsc.EstablishCalls - attempts;
        var advanced = await AdvanceUntilAsync(watch, BackoffCap);
        // The gap is measured on the injected clock: a whole number of the steps advanced, at least one and at most all
        // (the event may be seen a step after it happened on a busy machine), never wall time.
        var gap = Assert.IsType<ServiceRestored>(watch.Seen[^1]).Gap;

        Assert.True(gap >= BackoffCap && gap <= advanced && gap.Ticks % BackoffCap.Ticks == 0, $"gap {gap} after advancing {advanced}");
        Assert.Equal(1, attemptsWithoutTimePassing);
        Assert.Equal("SCardGetStatusChange: SCARD_F_COMM_ERROR", lost.Reason);
        Assert.Equal<ReaderEvent>(
            [
                new ReaderAttached("A"), new CardInserted("A", AtrX), new ReaderAttached("B"),
                lost,
                new CardRemoved("A"), new ReaderDetached("A"),
                new CardInserted("B", AtrZ),
                new ReaderAttached("C"), new CardInserted("C", AtrY),
                new ServiceRestored(gap),
            ],
            watch.Seen,
            EventComparer.Instance);
    }

    [Fact]
    public async Task StopAsync_FirstSCardCancelLandsBeforeTheWait_IsRepeatedUntilTheThreadLeaves()
    {
        _pcsc.SetReader("A");
        using var betweenListAndWait = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var lists = 0;
        _pcsc.BeforeListReaders = () =>
        {
            // The second listing precedes the first INFINITE wait: hold the thread there.
            if (Interlocked.Increment(ref lists) == 2)
            {
                betweenListAndWait.Set();
                release.Wait(Bound);
            }
        };
        var watch = new WatchRecorder(NewMonitor());
        await watch.NextAsync<ReaderAttached>(Bound);
        Assert.True(betweenListAndWait.Wait(Bound));

        var stopping = watch.StopAsync();
        await UntilAsync(() => _pcsc.CancelCalls == 1);
        release.Set();
        await UntilAsync(() => _pcsc.IsBlocked);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var endedOnFirstCancel = stopping.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.False(endedOnFirstCancel);
        Assert.True(await Task.WhenAny(stopping, Task.Delay(Bound)) == stopping, "the watch did not stop after a repeated SCardCancel");
        Assert.True(watch.Completion.IsCanceled);
        Assert.True(_pcsc.CancelCalls >= 2);
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task WatchAsync_PnpPseudoReaderUnknown_FailsTheStreamInsteadOfMissingArrivals()
    {
        var monitor = new ReaderMonitor(new NoPnpApi(_pcsc), _time, NullLogger<ReaderMonitor>.Instance);
        await using var watch = new WatchRecorder(monitor);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => watch.NextAsync<ReaderEvent>(Bound));

        Assert.IsType<NotSupportedException>(failure.InnerException);
    }

    private ReaderMonitor NewMonitor() =>
        new(_pcsc, _time, NullLogger<ReaderMonitor>.Instance, new ReaderMonitorOptions { ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = BackoffCap });

    /// <summary>Moves the fake clock by <paramref name="step"/> until ServiceRestored comes; returns the total.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(WatchRecorder watch, TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(step);
            advanced += step;
            try
            {
                await watch.NextAsync<ServiceRestored>(TimeSpan.FromMilliseconds(100));
                return advanced;
            }
            catch (TimeoutException)
            {
                // Not yet: the next attempt waits on the fake clock again.
            }
        }

        throw new TimeoutException($"no ServiceRestored after advancing {advanced}; seen {watch.Describe()}");
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Bound, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    /// <summary>A service without \\?PnP?\Notification: it flags the pseudo-reader unknown, as pcsc_scan checks.</summary>
    private sealed class NoPnpApi(FakePcscApi inner) : IPcscApi
    {
        public PcscContextHandle EstablishContext() => inner.EstablishContext();

        public ImmutableArray<string> ListReaders(PcscContextHandle context) => inner.ListReaders(context);

        public StatusChange GetStatusChange(PcscContextHandle context, TimeSpan timeout, Span<PcscReaderState> readers)
        {
            var outcome = inner.GetStatusChange(context, timeout, readers);
            for (var i = 0; i < readers.Length; i++)
            {
                if (readers[i].Reader == PcscReaderState.PnpNotification)
                {
                    readers[i].EventState = ReaderStates.Unknown | ReaderStates.Changed;
                }
            }

            return outcome;
        }

        public void Cancel(PcscContextHandle context) => inner.Cancel(context);

        public PcscCardHandle Connect(PcscContextHandle context, string reader, PcscShareMode shareMode, PcscProtocols preferredProtocols) =>
            inner.Connect(context, reader, shareMode, preferredProtocols);

        public PcscCardStatus Status(PcscCardHandle card) => inner.Status(card);

        public uint ReleaseContext(nint context) => inner.ReleaseContext(context);

        public uint Disconnect(nint card, PcscDisposition disposition) => inner.Disconnect(card, disposition);
    }

    /// <summary>Record equality, but ATRs compared by content.</summary>
    private sealed class EventComparer : IEqualityComparer<ReaderEvent>
    {
        public static readonly EventComparer Instance = new();

        public bool Equals(ReaderEvent? x, ReaderEvent? y) => (x, y) switch
        {
            (CardInserted a, CardInserted b) => a.Reader == b.Reader && a.Atr.SequenceEqual(b.Atr),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(ReaderEvent obj) => obj.GetType().GetHashCode();
    }
}
