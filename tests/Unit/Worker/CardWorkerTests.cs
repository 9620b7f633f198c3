using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenService.Contracts;
using TokenService.Drivers.Pcsc;
using TokenService.Locating;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Tests.Unit.Drivers.Pcsc;
using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

/// <summary>The worker on a fake PC/SC service, for what pcscd does only by accident.</summary>
public sealed class CardWorkerTests
{
    private const string Reader = "Reader A";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly ImmutableArray<byte> Atr = [0x3B, 0x02, 0x14, 0x50];

    [Fact]
    public async Task WatchFailing_WithAnUnexpectedPcscCode_IsReplaced_AndTheCardGetsItsVerdictAgain()
    {
        var pcsc = new FakePcscApi();
        pcsc.SetReader(Reader, Atr);
        var settings = new WorkerOptions { ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(100) };
        var store = new ReaderStateStore(TimeProvider.System, Options.Create(settings));
        using var telemetry = new TokenServiceInstrumentation(store.Counts);
        var monitor = new ReaderMonitor(pcsc, TimeProvider.System, NullLogger<ReaderMonitor>.Instance);
        using var worker = new CardWorker(
            monitor, new OneTokenLocator(), new InstantProber(), store, telemetry, Options.Create(settings), TimeProvider.System, NullLogger<CardWorker>.Instance);
        using var events = store.Subscribe();
        await worker.StartAsync(CancellationToken.None);
        await NextAsync(events, WatchEventTypes.Verdict);

        // A code the monitor does not take for a lost service (SCARD_W_SECURITY_VIOLATION during pcscd's shutdown
        // was one, until PcscErrors learnt it): the worker's safety net replaces the watch.
        var failures = 1;
        pcsc.BeforeListReaders = () =>
        {
            if (Interlocked.Exchange(ref failures, 0) == 1)
            {
                throw new PcscException("SCardListReaders", 0x80100014);
            }
        };
        pcsc.SetReader("Reader B"); // wakes the watch, which lists the readers
        var lost = await NextAsync(events, WatchEventTypes.ServiceLost);
        var restored = await NextAsync(events, WatchEventTypes.ServiceRestored);
        var verdict = await NextAsync(events, WatchEventTypes.Verdict);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal("SCardListReaders: SCARD_F_UNKNOWN_ERROR", lost.Reason);
        Assert.True(restored.Sequence > lost.Sequence);
        Assert.Equal((Reader, "compatible"), (verdict.ReaderName, verdict.State!.Report!.Verdict));
        Assert.Equal(["Reader A", "Reader B"], store.Readers().Select(r => r.Name));
        Assert.False(worker.ExecuteTask!.IsFaulted, worker.ExecuteTask.Exception?.ToString());
        Assert.Null(store.ServiceLostReason);
    }

    private static async Task<WatchEventEntry> NextAsync(ReaderStateStore.Subscription events, string type)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var entry = await events.Events.ReadAsync(deadline.Token);
                seen.Add(entry.Type);
                if (entry.Type == type)
                {
                    return entry;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {type} within {Bound}; seen {string.Join(", ", seen)}");
        }
    }

    private sealed class OneTokenLocator : ITokenLocator
    {
        public ProbeTarget? Locate(string reader, ImmutableArray<byte> atr) =>
            reader == Reader ? new ProbeTarget("/fake/module.so", new Dictionary<string, string>(), "token", null, null) : null;
    }

    private sealed class InstantProber : ITokenProber
    {
        public Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken) =>
            Task.FromResult(new ProbeOutcome(
                ProbeStatus.Completed,
                new TokenReport
                {
                    Module = new ModuleEntry { Path = target.Module },
                    Server = new ServerModelEntry { Source = "stock-openssl3" },
                    Tokens = [new TokenEntry { Label = "token", Verdict = "compatible" }],
                    Verdict = "compatible",
                },
                null,
                TimeSpan.FromMilliseconds(1)));
    }
}
