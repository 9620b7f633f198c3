using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using TokenService.Bench;
using TokenService.Drivers.Pcsc;
using TokenService.Tests.Shared.Pcsc;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Pcsc;

[Collection(PcscdCollection.Name)]
public sealed class ReaderMonitorTests(PcscdFixture pcscd, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>pcscd polls vpcd about every 400 ms (PCSCLITE_STATUS_POLL_RATE); a card event takes well under this.</summary>
    private static readonly TimeSpan CardEvent = TimeSpan.FromSeconds(5);

    /// <summary>Service loss is seen at once; recovery within the backoff of <see cref="NewMonitor"/> (at most 1 s).</summary>
    private static readonly TimeSpan ServiceEvent = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(2);

    /// <summary>A PC/SC storage card ATR (T=0 and T=1 offered, TCK present).</summary>
    private static readonly ImmutableArray<byte> StorageCardAtr = [.. Convert.FromHexString("3B8F8001804F0CA000000306030001000000006A")];

    /// <summary>A T=0 ATR with ten historical bytes, "TokenServi".</summary>
    private static readonly ImmutableArray<byte> TokenAtr = [.. Convert.FromHexString("3B0A546F6B656E5365727669")];

    private readonly IPcscApi _api = PcscApi.ForCurrentPlatform();

    // A test that failed with pcscd stopped must not take the next one down with it.
    public Task InitializeAsync() => pcscd.StartPcscdAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WatchAsync_PcscdRunning_StartsWithBothVirtualReadersAttached()
    {
        await using var watch = new WatchRecorder(NewMonitor());

        await WaitForVirtualReadersAsync(watch);

        Assert.Equal<ReaderEvent>([new ReaderAttached(VirtualReader.First.Name), new ReaderAttached(VirtualReader.Second.Name)], watch.Seen);
        using var context = _api.EstablishContext();
        Assert.Equal([VirtualReader.First.Name, VirtualReader.Second.Name], _api.ListReaders(context).ToArray());
    }

    [Fact]
    public async Task VirtualCard_InsertedThenRemoved_IsReportedWithItsAtr_AndSCardStatusReadsTheSameAtr()
    {
        await using var watch = new WatchRecorder(NewMonitor());
        await WaitForVirtualReadersAsync(watch);

        await using var card = await VirtualCard.InsertAsync(VirtualReader.First, StorageCardAtr, CardEvent);
        var inserted = await watch.NextAsync<ReaderEvent>(CardEvent);

        var insertedCard = Assert.IsType<CardInserted>(inserted);
        Assert.Equal(VirtualReader.First.Name, insertedCard.Reader);
        Assert.Equal(Hex(StorageCardAtr), Hex(insertedCard.Atr));
        Assert.True(card.AtrRequests > 0, "vpcd never asked the card for its ATR");
        var status = ReadCard(VirtualReader.First.Name);
        Assert.Equal(Hex(StorageCardAtr), Hex(status.Atr));
        Assert.Equal([VirtualReader.First.Name], status.ReaderNames.ToArray());
        Assert.NotEqual(PcscProtocols.Undefined, status.Protocol);

        await card.DisposeAsync();
        var removed = await watch.NextAsync<ReaderEvent>(CardEvent);

        Assert.Equal(new CardRemoved(VirtualReader.First.Name), removed);
        var refused = Assert.Throws<PcscException>(() => ReadCard(VirtualReader.First.Name));
        Assert.Equal("SCardConnect", refused.Function);
        Assert.Equal("SCARD_E_NO_SMARTCARD", refused.CodeName);
    }

    [Fact]
    public async Task TwoVirtualCards_AtOnce_AreEachReportedOnTheirOwnReader()
    {
        await using var watch = new WatchRecorder(NewMonitor());
        await WaitForVirtualReadersAsync(watch);

        await using var first = await VirtualCard.InsertAsync(VirtualReader.First, StorageCardAtr, CardEvent);
        await using var second = await VirtualCard.InsertAsync(VirtualReader.Second, TokenAtr, CardEvent);
        var inserted = new[] { await watch.NextAsync<ReaderEvent>(CardEvent), await watch.NextAsync<ReaderEvent>(CardEvent) }
            .Select(e => Assert.IsType<CardInserted>(e))
            .ToDictionary(e => e.Reader, e => Hex(e.Atr));

        Assert.Equal(Hex(StorageCardAtr), inserted[VirtualReader.First.Name]);
        Assert.Equal(Hex(TokenAtr), inserted[VirtualReader.Second.Name]);
        Assert.Equal(Hex(TokenAtr), Hex(ReadCard(VirtualReader.Second.Name).Atr));

        await second.DisposeAsync();
        Assert.Equal(new CardRemoved(VirtualReader.Second.Name), await watch.NextAsync<ReaderEvent>(CardEvent));
        Assert.Equal(Hex(StorageCardAtr), Hex(ReadCard(VirtualReader.First.Name).Atr));

        await first.DisposeAsync();
        Assert.Equal(new CardRemoved(VirtualReader.First.Name), await watch.NextAsync<ReaderEvent>(CardEvent));
    }

    [Fact]
    public async Task PcscdRestart_WhileWatching_ReportsLostThenRestored_AndACardInsertedAfterwardsIsSeen()
    {
        await using var watch = new WatchRecorder(NewMonitor());
        await WaitForVirtualReadersAsync(watch);
        await using var droppedCard = await VirtualCard.InsertAsync(VirtualReader.Second, TokenAtr, CardEvent);
        await watch.NextAsync<CardInserted>(CardEvent);
        var before = watch.Seen.Count;

        var down = Stopwatch.StartNew();
        await pcscd.StopPcscdAsync();
        var lost = await watch.NextAsync<ServiceLost>(ServiceEvent);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await pcscd.StartPcscdAsync();
        var restored = await watch.NextAsync<ServiceRestored>(ServiceEvent);
        var downFor = down.Elapsed;

        Assert.StartsWith("SCardGetStatusChange: SCARD_", lost.Reason, StringComparison.Ordinal);
        Assert.InRange(restored.Gap, TimeSpan.FromMilliseconds(500), downFor);

        // Stopping pcscd dropped the vpcd card: the resynchronisation reports it gone, before ServiceRestored,
        // and nothing else changed (the same readers came back).
        Assert.Equal<ReaderEvent>([lost, new CardRemoved(VirtualReader.Second.Name), restored], watch.Seen.Skip(before));

        await using var card = await VirtualCard.InsertAsync(VirtualReader.First, StorageCardAtr, CardEvent);
        var inserted = await watch.NextAsync<ReaderEvent>(CardEvent);

        var insertedCard = Assert.IsType<CardInserted>(inserted);
        Assert.Equal(VirtualReader.First.Name, insertedCard.Reader);
        Assert.Equal(Hex(StorageCardAtr), Hex(insertedCard.Atr));
        await card.DisposeAsync();
        Assert.Equal(new CardRemoved(VirtualReader.First.Name), await watch.NextAsync<ReaderEvent>(CardEvent));
    }

    [Fact]
    public async Task WatchAsync_StartedWhilePcscdIsDown_ReportsLost_ThenTheReadersAndRestoredOnceItRuns()
    {
        await pcscd.StopPcscdAsync();
        await using var watch = new WatchRecorder(NewMonitor());

        var lost = await watch.NextAsync<ServiceLost>(ServiceEvent);
        await pcscd.StartPcscdAsync();
        var restored = await watch.NextAsync<ServiceRestored>(ServiceEvent);

        Assert.Equal("SCardEstablishContext: SCARD_E_NO_SERVICE", lost.Reason);
        Assert.Equal<ReaderEvent>(
            [lost, new ReaderAttached(VirtualReader.First.Name), new ReaderAttached(VirtualReader.Second.Name), restored],
            watch.Seen);
    }

    [Fact]
    public async Task Cancellation_OfAWatchBlockedInSCardGetStatusChange_EndsItWithinTwoSeconds()
    {
        var watch = new WatchRecorder(NewMonitor());
        await WaitForVirtualReadersAsync(watch);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // into the INFINITE wait
        Assert.Single(MonitorThreads());

        await AssertStopsWithinBoundAsync(watch);
        Assert.True(await NoMonitorThreadWithinAsync(StopBound), "the monitor thread is still alive");
    }

    [Fact]
    public async Task Cancellation_OfAWatchWaitingToReconnect_EndsItWithinTwoSeconds()
    {
        await pcscd.StopPcscdAsync();
        var watch = new WatchRecorder(NewMonitor(maxReconnectDelay: TimeSpan.FromSeconds(30)));
        await watch.NextAsync<ServiceLost>(ServiceEvent);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        await AssertStopsWithinBoundAsync(watch);
        Assert.True(await NoMonitorThreadWithinAsync(StopBound), "the monitor thread is still alive");
    }

    [Fact]
    public async Task Cancellation_AtAnyPointOfStartingUp_EndsTheWatchWithinTwoSeconds()
    {
        // Stops land in Establish, in the first non-blocking read, between two calls or in the INFINITE wait;
        // each must end the watch (the lost-SCardCancel race itself is pinned down in the unit tests).
        var monitor = NewMonitor();
        for (var i = 0; i < 20; i++)
        {
            var watch = new WatchRecorder(monitor);
            await Task.Delay(TimeSpan.FromMilliseconds(i * 5));

            await AssertStopsWithinBoundAsync(watch);
        }

        Assert.True(await NoMonitorThreadWithinAsync(StopBound), "a monitor thread is still alive");
    }

    [Fact]
    public async Task IdleWatch_BlockedInSCardGetStatusChange_UsesNoCpu()
    {
        await using var watch = new WatchRecorder(NewMonitor());
        await WaitForVirtualReadersAsync(watch);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var thread = Assert.Single(MonitorThreads());

        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = Assert.Single(MonitorThreads());

        Assert.Equal(thread.Id, after.Id);
        // A clock tick is 10 ms; a polling loop would show up in three seconds.
        Assert.True(after.CpuTicks - thread.CpuTicks <= 1, $"the idle monitor thread used {after.CpuTicks - thread.CpuTicks} ticks of CPU in 3 s");
        Assert.Equal(2, watch.Seen.Count);
    }

    private ReaderMonitor NewMonitor(TimeSpan? maxReconnectDelay = null) =>
        new(
            _api,
            TimeProvider.System,
            new TestOutputLogger<ReaderMonitor>(output),
            new ReaderMonitorOptions
            {
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = maxReconnectDelay ?? TimeSpan.FromSeconds(1),
            });

    private static async Task WaitForVirtualReadersAsync(WatchRecorder watch)
    {
        await watch.NextAsync<ReaderAttached>(CardEvent, e => e.Reader == VirtualReader.First.Name);
        await watch.NextAsync<ReaderAttached>(CardEvent, e => e.Reader == VirtualReader.Second.Name);
    }

    /// <summary>Cancels the watch: its enumeration must end as canceled within <see cref="StopBound"/>.</summary>
    private static async Task AssertStopsWithinBoundAsync(WatchRecorder watch)
    {
        var took = await watch.StopAsync();

        Assert.True(took < StopBound, $"the watch took {took} to stop");
        Assert.True(watch.Completion.IsCanceled, $"the enumeration ended as {watch.Completion.Status}");
        await watch.DisposeAsync();
    }

    /// <summary>SCardConnect and SCardStatus on a context of this thread.</summary>
    private PcscCardStatus ReadCard(string reader)
    {
        using var context = _api.EstablishContext();
        using var card = _api.Connect(context, reader, PcscShareMode.Shared, PcscProtocols.Any);
        return _api.Status(card);
    }

    private static string Hex(ImmutableArray<byte> bytes) => Convert.ToHexString(bytes.AsSpan());

    /// <summary>The watch threads of this process, by their Linux thread name, with their user+system CPU ticks.</summary>
    private static List<(int Id, long CpuTicks)> MonitorThreads()
    {
        var threads = new List<(int, long)>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ReaderMonitor.ThreadName)
                {
                    continue;
                }

                // proc(5): the fields after the parenthesised name start with state; utime and stime are
                // fields 14 and 15 of the line, so 11 and 12 after the name.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads.Add((int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), ticks));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return threads;
    }

    private static async Task<bool> NoMonitorThreadWithinAsync(TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (MonitorThreads().Count > 0)
        {
            if (clock.Elapsed > bound)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
