using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenService.Drivers.Pcsc;
using TokenService.Locating;
using TokenService.Probing;

namespace TokenService.Worker;

/// <summary>
/// Watches the PC/SC readers and keeps <see cref="ReaderStateStore"/> current: a card inserted is located
/// (<see cref="ITokenLocator"/>) and probed (<see cref="ITokenProber"/>), its verdict published; a card removed
/// cancels its probe and clears its verdict; pcscd lost and back is published too.
/// </summary>
/// <remarks>
/// One loop takes monitor events, re-probe requests and probe outcomes in order, and is the only caller that
/// changes the store. The worker keeps no state of its own: the store holds the readers, cards, probe ids and
/// each probe's cancellation, and decides whether an outcome is still wanted. Probes run beside the loop and
/// hand their outcome back to it. Recovery from pcscd going away is <see cref="ReaderMonitor"/>'s alone; a watch
/// that fails otherwise (no PC/SC library, no PnP notification, a code <see cref="PcscErrors"/> does not know as
/// the service going away) ends the worker with that failure, and the program with exit code 69.
/// </remarks>
internal sealed partial class CardWorker(
    ReaderMonitor monitor,
    ITokenLocator locator,
    ITokenProber prober,
    ReaderStateStore store,
    IWatcherObserver observer,
    TimeProvider time,
    ILogger<CardWorker> logger) : BackgroundService
{
    /// <summary>How long shutdown waits for running probes after cancelling them.</summary>
    internal static readonly TimeSpan ProbeShutdownBound = TimeSpan.FromSeconds(5);

    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

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
        WatchEnded? ended = null;
        try
        {
            while (ended is null)
            {
                var work = await _work.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                if (work is WatchEnded watchEnded)
                {
                    ended = watchEnded;
                }
                else
                {
                    Handle(work);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            await StopProbesAsync().ConfigureAwait(false);
            _work.Writer.TryComplete();
        }

        await pump.ConfigureAwait(false);
        if (ended?.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Feeds the monitor's events into the loop, then how the watch ended.</summary>
    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var readerEvent in monitor.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                _work.Writer.TryWrite(new Monitored(readerEvent));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception e)
        {
            Log.MonitorFailed(logger, e);
            failure = e;
        }

        _work.Writer.TryWrite(new WatchEnded(failure));
    }

    private void Handle(Work work)
    {
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
                store.CardInserted(e.Reader, e.Atr);
                StartProbe(e.Reader, e.Atr);
                break;
            case Monitored { Event: CardRemoved e }:
                CardGone(e.Reader);
                break;
            case Monitored { Event: ServiceLost e }:
                store.ServiceLost(e.Reason);
                break;
            case Monitored { Event: ServiceRestored e }:
                store.ServiceRestored(e.Gap);
                observer.ServiceRestored(e.Gap);
                break;
            case Recheck r when store.Card(r.Reader) is { } atr:
                StartProbe(r.Reader, atr);
                break;
            case Recheck:
                break; // the card left after the request
            case ProbeEnded ended:
                Finish(ended);
                break;
            default:
                throw new UnreachableException($"the worker's loop got {work}");
        }
    }

    private void CardGone(string reader)
    {
        if (store.CardRemoved(reader) is { } check)
        {
            Log.RemovedDuringProbe(logger, reader);
            observer.CheckFinished(check);
        }
    }

    private void StartProbe(string reader, ImmutableArray<byte> atr)
    {
        var hex = Convert.ToHexString(atr.AsSpan());
        if (locator.Locate(reader, atr) is not { } target)
        {
            Log.NoBinding(logger, reader, hex);
            if (store.NoBinding(reader, $"no binding for reader '{reader}' (ATR {hex}): add one to the bindings file") is { } check)
            {
                observer.CheckFinished(check);
            }

            return;
        }

        if (store.BeginProbe(reader, target) is not { } ticket)
        {
            return;
        }

        Log.ProbeStarted(logger, reader, hex, target.TokenLabel, target.Module);
        _ = RunProbeAsync(reader, target, ticket);
    }

    /// <summary>Runs one probe beside the loop and hands its outcome back to the loop; never throws.</summary>
    private async Task RunProbeAsync(string reader, ProbeTarget target, ProbeTicket ticket)
    {
        await Task.Yield(); // the loop goes on at once
        var started = time.GetTimestamp();
        ProbeOutcome outcome;
        try
        {
            outcome = await prober.ProbeAsync(target, ticket.Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ticket.Cancellation.IsCancellationRequested)
        {
            outcome = new ProbeOutcome(ProbeStatus.Cancelled, null, null, time.GetElapsedTime(started));
        }
        catch (Exception e) // the prober promises values, not exceptions; a bug there must not kill the worker
        {
            Log.ProberThrew(logger, reader, e);
            outcome = new ProbeOutcome(ProbeStatus.ModuleFailed, null, $"the prober failed: {e.Message}", time.GetElapsedTime(started));
        }

        _work.Writer.TryWrite(new ProbeEnded(reader, target, ticket.Id, outcome, time.GetElapsedTime(started)));
    }

    /// <summary>Gives a probe's outcome to the store, which applies it or drops it, and tells the observer.</summary>
    private void Finish(ProbeEnded ended)
    {
        var completion = store.CompleteProbe(ended.Id, ended.Outcome);
        observer.ProbeEnded(new ProbeRun(ended.Reader, ended.Target, ended.Elapsed, completion.Dropped, completion.Check));
        if (completion.Check is not { } check)
        {
            Log.ProbeResultDropped(logger, ended.Reader, completion.Dropped);
            return;
        }

        observer.CheckFinished(check);
        if (check.State == ReaderState.ModuleFailed)
        {
            Log.ModuleFailed(logger, ended.Reader, check.Error);
        }

        Log.ProbeFinished(logger, ended.Reader, check.State.Name(), check.Verdict, ended.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// The watcher stops: every probe in flight is cancelled, and their outcomes (dropped, not published) are taken
    /// from the loop until none is left or <see cref="ProbeShutdownBound"/> has passed.
    /// </summary>
    private async Task StopProbesAsync()
    {
        store.CancelProbes();
        using var bound = new CancellationTokenSource(ProbeShutdownBound, time);
        try
        {
            while (store.ProbesInFlight > 0)
            {
                if (await _work.Reader.ReadAsync(bound.Token).ConfigureAwait(false) is ProbeEnded ended)
                {
                    Finish(ended);
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            Log.ProbesOutlivedShutdown(logger, ProbeShutdownBound);
        }
    }

    private abstract record Work;

    private sealed record Monitored(ReaderEvent Event) : Work;

    private sealed record Recheck(string Reader) : Work;

    private sealed record ProbeEnded(string Reader, ProbeTarget Target, long Id, ProbeOutcome Outcome, TimeSpan Elapsed) : Work;

    /// <summary>The monitor's stream ended: with <paramref name="Failure"/>, or on shutdown.</summary>
    private sealed record WatchEnded(Exception? Failure) : Work;
}

/// <summary>The answer to <see cref="CardWorker.RequestRecheck"/>.</summary>
internal enum RecheckResult
{
    Accepted,
    NoSuchReader,
    NoCard,
    Stopping,
}
