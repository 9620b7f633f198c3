using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Contracts;
using TokenService.Drivers.Pcsc;
using TokenService.Locating;
using TokenService.Probing;
using TokenService.Telemetry;

namespace TokenService.Worker;

/// <summary>
/// Watches the PC/SC readers and keeps <see cref="ReaderStateStore"/> current: a card inserted is located
/// (<see cref="ITokenLocator"/>) and probed (<see cref="ITokenProber"/>), its verdict published; a card removed
/// cancels its probe and clears its verdict; pcscd lost and back is published too.
/// </summary>
/// <remarks>
/// One loop handles monitor events, re-probe requests and probe completions in order, so the per-reader
/// bookkeeping needs no lock. Probes run beside it, one per reader, each with its own cancellation: removing
/// the card cancels only its probe, and the store drops any result that comes after the card left.
/// </remarks>
internal sealed partial class CardWorker(
    ReaderMonitor monitor,
    ITokenLocator locator,
    ITokenProber prober,
    ReaderStateStore store,
    TokenServiceInstrumentation telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<CardWorker> logger) : BackgroundService
{
    /// <summary>How long shutdown waits for running probes after cancelling them.</summary>
    private static readonly TimeSpan ProbeShutdownBound = TimeSpan.FromSeconds(5);

    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    // Owned by the loop: every probe not yet ended (cancelled ones too: their CancellationTokenSource is
    // disposed only once they have ended), the current probe of each reader, and the card in each reader.
    private readonly Dictionary<long, InFlight> _inFlight = [];
    private readonly Dictionary<string, long> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableArray<byte>> _cards = new(StringComparer.Ordinal);

    // Owned by the loop: set while a failed watch is being replaced (when it failed, and whether the new watch
    // reported pcscd lost itself, so that its own ServiceLost/ServiceRestored pair is not published twice).
    private long? _watchFailedAt;
    private bool _newWatchLost;

    /// <summary>Asks for the card in <paramref name="reader"/> to be probed again now (POST /api/check).</summary>
    public RecheckResult RequestRecheck(string reader)
    {
        if (store.Reader(reader) is not { } state)
        {
            return RecheckResult.NoSuchReader;
        }

        if (!state.CardPresent)
        {
            return RecheckResult.NoCard;
        }

        Log.RecheckRequested(logger, reader);
        return _work.Writer.TryWrite(new Recheck(reader)) ? RecheckResult.Accepted : RecheckResult.Stopping;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pump = PumpAsync(stoppingToken);
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Handle(work, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            await StopProbesAsync().ConfigureAwait(false);
        }

        await pump.ConfigureAwait(false);
    }

    /// <summary>
    /// Feeds the monitor's events into the loop. A watch that fails with a PC/SC error is replaced after a pause
    /// (backoff as for reconnecting); any other failure (no PC/SC library, no PnP notification) ends the loop.
    /// </summary>
    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var delay = settings.ReconnectDelay;
        try
        {
            while (true)
            {
                try
                {
                    await foreach (var readerEvent in monitor.WatchAsync(stoppingToken).ConfigureAwait(false))
                    {
                        delay = settings.ReconnectDelay;
                        _work.Writer.TryWrite(new Monitored(readerEvent));
                    }

                    break;
                }
                catch (PcscException e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The monitor recovers from pcscd going away by itself (PcscErrors.IsServiceUnavailable); this
                    // is a safety net for a code it does not know, so that one odd answer never stops the service.
                    Log.WatchFailed(logger, delay, e);
                    _work.Writer.TryWrite(new WatchFailed($"{e.Function}: {e.CodeName}"));
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxReconnectDelay.Ticks));
                }
            }

            _work.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _work.Writer.TryComplete();
        }
        catch (Exception e)
        {
            Log.MonitorFailed(logger, e);
            _work.Writer.TryComplete(e);
        }
    }

    /// <summary>
    /// A failed watch: what it reported no longer holds. Every card is taken out (probes cancelled) and every
    /// reader detached; the next watch reports the readers and cards there are, and the cards are probed again.
    /// </summary>
    private void Forget(string reason)
    {
        foreach (var reader in store.Readers())
        {
            CardGone(reader.Name);
            store.ReaderDetached(reader.Name);
        }

        if (_watchFailedAt is null)
        {
            if (store.ServiceLostReason is null) // the failed watch may have reported pcscd lost already
            {
                store.ServiceLost(reason);
            }

            _watchFailedAt = time.GetTimestamp();
            _newWatchLost = false;
        }
    }

    /// <summary>
    /// While a failed watch is being replaced: the new watch's own loss report is the one already published, and
    /// its first other event means pcscd answers again.
    /// </summary>
    /// <returns>False for the new watch's own loss report: the loss is already published.</returns>
    private bool Replacing(ReaderEvent readerEvent)
    {
        if (_watchFailedAt is not { } failedAt)
        {
            return true;
        }

        switch (readerEvent)
        {
            case ServiceLost:
                _newWatchLost = true;
                return false;
            case ServiceRestored:
                _watchFailedAt = null; // the new watch found pcscd back: its own report is the one to publish
                _newWatchLost = false;
                return true;
            case var _ when _newWatchLost:
                return true; // the new watch catching up, before its own ServiceRestored
            default:
                _watchFailedAt = null;
                telemetry.PcscdReconnected();
                store.ServiceRestored(time.GetElapsedTime(failedAt));
                return true;
        }
    }

    private void Handle(Work work, CancellationToken stoppingToken)
    {
        if (work is Monitored monitored && !Replacing(monitored.Event))
        {
            return;
        }

        switch (work)
        {
            case Monitored { Event: ReaderAttached e }:
                store.ReaderAttached(e.Reader);
                break;
            case Monitored { Event: ReaderDetached e }:
                CardGone(e.Reader); // ReaderMonitor reports the removal first; this covers any other order
                store.ReaderDetached(e.Reader);
                break;
            case Monitored { Event: CardInserted e }:
                Cancel(e.Reader);
                _cards[e.Reader] = e.Atr;
                store.CardInserted(e.Reader, e.Atr);
                StartProbe(e.Reader, e.Atr, stoppingToken);
                break;
            case Monitored { Event: CardRemoved e }:
                CardGone(e.Reader);
                break;
            case Monitored { Event: ServiceLost e }:
                store.ServiceLost(e.Reason);
                break;
            case Monitored { Event: ServiceRestored e }:
                telemetry.PcscdReconnected();
                store.ServiceRestored(e.Gap);
                break;
            case WatchFailed failed:
                Forget(failed.Reason);
                break;
            case Recheck r when _cards.TryGetValue(r.Reader, out var atr):
                Cancel(r.Reader);
                StartProbe(r.Reader, atr, stoppingToken);
                break;
            case ProbeEnded ended:
                if (_inFlight.Remove(ended.Id, out var probe))
                {
                    probe.Cancellation.Dispose();
                }

                if (_current.TryGetValue(ended.Reader, out var id) && id == ended.Id)
                {
                    _current.Remove(ended.Reader);
                }

                break;
        }
    }

    private void CardGone(string reader)
    {
        _cards.Remove(reader);
        if (store.CardRemoved(reader))
        {
            Log.RemovedDuringProbe(logger, reader);
            telemetry.CheckFinished(ReaderStateNames.RemovedDuringProbe);
        }

        Cancel(reader);
    }

    /// <summary>Cancels the reader's running probe; its result will be dropped by the store.</summary>
    private void Cancel(string reader)
    {
        if (_current.Remove(reader, out var id) && _inFlight.TryGetValue(id, out var running))
        {
            running.Cancellation.Cancel();
        }
    }

    private void StartProbe(string reader, ImmutableArray<byte> atr, CancellationToken stoppingToken)
    {
        var target = locator.Locate(reader, atr);
        if (target is null)
        {
            Log.NoBinding(logger, reader, Convert.ToHexString(atr.AsSpan()));
            store.NoBinding(reader, $"no binding for reader '{reader}' (ATR {Convert.ToHexString(atr.AsSpan())}): add one to the bindings file");
            telemetry.CheckFinished(ReaderStateNames.NoBinding);
            return;
        }

        if (store.BeginProbe(reader, target) is not { } id)
        {
            return;
        }

        Log.ProbeStarted(logger, reader, Convert.ToHexString(atr.AsSpan()), target.TokenLabel, target.Module);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var task = RunProbeAsync(reader, id, target, cancellation.Token, stoppingToken);
        _inFlight[id] = new InFlight(cancellation, task);
        _current[reader] = id;
    }

    private async Task RunProbeAsync(string reader, long id, ProbeTarget target, CancellationToken cancellation, CancellationToken stoppingToken)
    {
        await Task.Yield(); // the loop goes on at once
        using var activity = telemetry.StartProbe(reader, target.TokenLabel, target.Module);
        var started = Stopwatch.GetTimestamp();
        ProbeOutcome outcome;
        try
        {
            outcome = await prober.ProbeAsync(target, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            outcome = new ProbeOutcome(ProbeStatus.Cancelled, null, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) // the prober promises values, not exceptions; a bug there must not kill the worker
        {
            Log.ProberThrew(logger, reader, e);
            outcome = new ProbeOutcome(ProbeStatus.ModuleFailed, null, $"the prober failed: {e.Message}", Stopwatch.GetElapsedTime(started));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (stoppingToken.IsCancellationRequested)
        {
            TokenServiceInstrumentation.EndProbe(activity, "cancelled", verdict: null, error: null);
            return;
        }

        // Cancelled by the loop: the card left (already recorded as removed-during-probe) or a re-probe replaced
        // this one. Whatever the prober answered, even a verdict it finished regardless, is not applied.
        var completion = cancellation.IsCancellationRequested
            ? new ProbeCompletion(store.Reader(reader) is { CardPresent: true } ? ProbeDrop.Superseded : ProbeDrop.CardGone, null)
            : store.CompleteProbe(reader, id, outcome);
        var status = completion switch
        {
            { Check: { } check } => check.State,
            { Dropped: ProbeDrop.Superseded } => "superseded",
            _ => ReaderStateNames.RemovedDuringProbe,
        };
        telemetry.ProbeDuration(elapsed, status);
        TokenServiceInstrumentation.EndProbe(activity, status, completion.Check?.Verdict, completion.Check?.Error);
        if (completion.Check is { } finished)
        {
            telemetry.CheckFinished(finished.Verdict ?? finished.State);
            if (finished.State == ReaderStateNames.ModuleFailed)
            {
                Log.ModuleFailed(logger, reader, finished.Error);
            }

            Log.ProbeFinished(logger, reader, finished.State, finished.Verdict, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.ProbeResultDropped(logger, reader, status);
        }

        _work.Writer.TryWrite(new ProbeEnded(reader, id));
    }

    private async Task StopProbesAsync()
    {
        var running = _inFlight.Values.ToList();
        _inFlight.Clear();
        _current.Clear();
        foreach (var probe in running)
        {
            await probe.Cancellation.CancelAsync().ConfigureAwait(false);
        }

        var all = Task.WhenAll(running.Select(p => p.Task));
        if (await Task.WhenAny(all, Task.Delay(ProbeShutdownBound)).ConfigureAwait(false) != all)
        {
            Log.ProbesOutlivedShutdown(logger, ProbeShutdownBound);
        }

        foreach (var probe in running)
        {
            probe.Cancellation.Dispose();
        }
    }

    private abstract record Work;

    private sealed record Monitored(ReaderEvent Event) : Work;

    private sealed record Recheck(string Reader) : Work;

    private sealed record WatchFailed(string Reason) : Work;

    private sealed record ProbeEnded(string Reader, long Id) : Work;

    private sealed record InFlight(CancellationTokenSource Cancellation, Task Task);
}

/// <summary>The answer to <see cref="CardWorker.RequestRecheck"/>.</summary>
internal enum RecheckResult
{
    Accepted,
    NoSuchReader,
    NoCard,
    Stopping,
}
