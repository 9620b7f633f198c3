using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using TokenService.Contracts;
using TokenService.Probing;

namespace TokenService.Worker;

/// <summary>
/// What the watcher knows now: each reader with its card, state and last report, the probes in flight, a bounded
/// history of finished checks, and a broadcast of every change to any number of subscribers.
/// </summary>
/// <remarks>
/// Thread-safe. Every change takes one lock, builds its event and hands it to each subscriber with a
/// non-blocking write, so subscribers see changes in one order (<see cref="WatchEvent.Sequence"/>) and a
/// slow subscriber never holds up the worker (see <see cref="Subscription"/>).
/// The store is the one owner of probe ids and their cancellation, and the one place that decides whether a
/// result is still current: a probe is cancelled here when its card leaves, its reader leaves, a newer probe of
/// the card starts or the watcher stops, and its result, whenever it comes back (<see cref="CompleteProbe"/>), is
/// then dropped, so a stale verdict is never shown.
/// </remarks>
internal sealed partial class ReaderStateStore(TimeProvider time, IOptions<WorkerOptions> options)
{
    private const string RemovedDuringProbeError = "the card was removed while it was being read: reinsert it";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Slot> _readers = new(StringComparer.Ordinal);

    // Every probe begun and not yet completed: each reader's current one, and those already cancelled whose
    // outcome has not come back yet (their cancellation is disposed only then).
    private readonly Dictionary<long, RunningProbe> _probes = [];
    private readonly LinkedList<CheckHistoryEntry> _history = new();
    private readonly int _historyCapacity = options.Value.HistoryCapacity;
    private readonly int _subscriberBuffer = options.Value.SubscriberBuffer;
    private ImmutableArray<Subscription> _subscribers = [];
    private long _sequence;
    private long _probeIds;

    /// <summary>Null while pcscd answers; the reason it was lost otherwise.</summary>
    public string? ServiceLostReason { get; private set; }

    /// <summary>Probes begun whose outcome has not come back through <see cref="CompleteProbe"/>.</summary>
    public int ProbesInFlight
    {
        get
        {
            lock (_gate)
            {
                return _probes.Count;
            }
        }
    }

    public IReadOnlyList<ReaderStateEntry> Readers()
    {
        lock (_gate)
        {
            return [.. _readers.Values.Select(s => s.ToEntry())];
        }
    }

    public ReaderStateEntry? Reader(string name)
    {
        lock (_gate)
        {
            return _readers.TryGetValue(name, out var slot) ? slot.ToEntry() : null;
        }
    }

    /// <summary>The ATR of the card in <paramref name="reader"/>, or null when there is none.</summary>
    public ImmutableArray<byte>? Card(string reader)
    {
        lock (_gate)
        {
            return _readers.TryGetValue(reader, out var slot) && slot.CardPresent ? slot.Atr : null;
        }
    }

    /// <summary>Finished checks, newest first.</summary>
    public IReadOnlyList<CheckHistoryEntry> History()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    public (int Readers, int Cards) Counts()
    {
        lock (_gate)
        {
            return (_readers.Count, _readers.Values.Count(s => s.CardPresent));
        }
    }

    public void ReaderAttached(string reader)
    {
        lock (_gate)
        {
            if (_readers.TryGetValue(reader, out var previous))
            {
                Drop(previous, ProbeDrop.CardGone);
            }

            var slot = new Slot(reader, time.GetUtcNow());
            _readers[reader] = slot;
            Publish(WatchEventType.ReaderAttached, slot);
        }
    }

    /// <summary>The reader left; a probe still running for it is cancelled (its card left with it).</summary>
    public void ReaderDetached(string reader)
    {
        lock (_gate)
        {
            if (_readers.Remove(reader, out var slot))
            {
                Drop(slot, ProbeDrop.CardGone);
                Publish(WatchEventType.ReaderDetached, slot);
            }
        }
    }

    /// <summary>A card is in <paramref name="reader"/>; a probe of a card before it is cancelled.</summary>
    /// <param name="card">What its ATR says (names, family), when the watcher can name cards.</param>
    public void CardInserted(string reader, ImmutableArray<byte> atr, CardNameEntry? card = null)
    {
        lock (_gate)
        {
            var slot = SlotOf(reader);
            Drop(slot, ProbeDrop.CardGone);
            slot.Set(ReaderState.Empty, report: null, error: null, time.GetUtcNow());
            slot.CardPresent = true;
            slot.Atr = atr;
            slot.Card = card;
            Publish(WatchEventType.CardInserted, slot);
        }
    }

    /// <summary>
    /// The card left. A probe still running is cancelled and becomes a <see cref="ReaderState.RemovedDuringProbe"/>
    /// check at once (its result, whenever it comes, is dropped); otherwise the reader's verdict is cleared.
    /// </summary>
    /// <returns>The removed-during-probe check when a probe was running, else null.</returns>
    public FinishedCheck? CardRemoved(string reader)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot) || !slot.CardPresent)
            {
                return null;
            }

            var now = time.GetUtcNow();
            var wasProbing = slot.Probe is not null;
            var atr = slot.Atr;
            var card = slot.Card;
            slot.CardPresent = false;
            slot.Atr = null;
            slot.Card = null;
            if (wasProbing)
            {
                slot.Set(ReaderState.RemovedDuringProbe, report: null, RemovedDuringProbeError, now);
            }
            else
            {
                slot.Set(ReaderState.Empty, report: null, error: null, now);
            }

            Publish(WatchEventType.CardRemoved, slot);
            FinishedCheck? finished = null;
            if (wasProbing)
            {
                var check = Record(slot, atr, card, ReaderState.RemovedDuringProbe, report: null, slot.Error, now);
                Publish(WatchEventType.Verdict, slot, check);
                finished = new FinishedCheck(ReaderState.RemovedDuringProbe, null, slot.Error) { Atr = atr, Family = card?.Family };
            }

            Drop(slot, ProbeDrop.CardGone);
            return finished;
        }
    }

    /// <summary>A card whose reader no binding covers: nothing to probe.</summary>
    /// <returns>The no-binding check, or null when no card is in the reader.</returns>
    public FinishedCheck? NoBinding(string reader, string error)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot) || !slot.CardPresent)
            {
                return null;
            }

            var now = time.GetUtcNow();
            Drop(slot, ProbeDrop.Superseded);
            slot.Set(ReaderState.NoBinding, report: null, error, now);
            var check = Record(slot, slot.Atr, slot.Card, ReaderState.NoBinding, report: null, error, now);
            Publish(WatchEventType.Verdict, slot, check);
            return new FinishedCheck(ReaderState.NoBinding, null, error) { Atr = slot.Atr, Family = slot.Card?.Family };
        }
    }

    /// <summary>
    /// Marks the card in <paramref name="reader"/> as being probed for <paramref name="target"/>. A probe already
    /// running for it is superseded: cancelled, its result dropped.
    /// </summary>
    /// <returns>
    /// The probe's id for <see cref="CompleteProbe"/> and the token the store cancels when the result stops being
    /// wanted; null when no card is in the reader.
    /// </returns>
    public ProbeTicket? BeginProbe(string reader, ProbeTarget target)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot) || !slot.CardPresent)
            {
                return null;
            }

            Drop(slot, ProbeDrop.Superseded);
            var now = time.GetUtcNow();
            var probe = new RunningProbe(++_probeIds, reader, target, now, new CancellationTokenSource());
            _probes[probe.Id] = probe;
            slot.Probe = probe;
            slot.Set(ReaderState.Probing, report: null, error: null, now);
            Publish(WatchEventType.ProbeStarted, slot);
            return new ProbeTicket(probe.Id, probe.Cancellation.Token);
        }
    }

    /// <summary>
    /// Takes a probe's outcome: applied when the probe is still its reader's current one, dropped when the store
    /// cancelled it meanwhile (its card or reader left, a newer probe replaced it, or <see cref="CancelProbes"/>).
    /// </summary>
    /// <returns>How the outcome was taken: applied (with the check recorded), or dropped and why.</returns>
    /// <exception cref="ArgumentException">the probe is not in flight (never begun, or completed already).</exception>
    public ProbeCompletion CompleteProbe(long probeId, ProbeOutcome outcome)
    {
        lock (_gate)
        {
            if (!_probes.Remove(probeId, out var probe))
            {
                throw new ArgumentException($"probe {probeId} is not in flight", nameof(probeId));
            }

            probe.Cancellation.Dispose();
            if (probe.Dropped != ProbeDrop.None)
            {
                return new ProbeCompletion(probe.Dropped, null);
            }

            // Not dropped: every way a reader or its card goes drops the probe first, so it is still current.
            var slot = _readers[probe.Reader];
            var now = time.GetUtcNow();
#pragma warning disable CS8524 // every named status is listed (CS8509 would flag one missing); a cast integer throws
            var (state, report, error) = outcome.Status switch
            {
                ProbeStatus.Completed when outcome.Report is not null => (ReaderState.Verdict, outcome.Report, (string?)null),
                ProbeStatus.Completed => (ReaderState.ModuleFailed, null, "the prober completed without a report"),
                ProbeStatus.TokenNotFound => (ReaderState.ModuleFailed, null, outcome.Error ?? $"no token labelled '{probe.Target.TokenLabel}' in {probe.Target.Module}"),
                ProbeStatus.RemovedDuringProbe => (ReaderState.RemovedDuringProbe, null, outcome.Error ?? RemovedDuringProbeError),
                ProbeStatus.Cancelled => (ReaderState.ModuleFailed, null, outcome.Error ?? "the probe was cancelled"),
                ProbeStatus.ModuleFailed => (ReaderState.ModuleFailed, null, outcome.Error ?? "the module failed"),
            };
#pragma warning restore CS8524
            slot.Set(state, report, error, now);
            var check = Record(slot, slot.Atr, slot.Card, state, report, error, now);
            slot.Probe = null;
            Publish(WatchEventType.Verdict, slot, check);
            return new ProbeCompletion(ProbeDrop.None, new FinishedCheck(state, report?.Verdict, error) { Atr = slot.Atr, Family = slot.Card?.Family, Report = report });
        }
    }

    /// <summary>The watcher stops: every probe in flight is cancelled, and its result will be dropped unpublished.</summary>
    public void CancelProbes()
    {
        lock (_gate)
        {
            foreach (var probe in _probes.Values)
            {
                Cancel(probe, ProbeDrop.Shutdown);
            }

            foreach (var slot in _readers.Values)
            {
                slot.Probe = null;
            }
        }
    }

    public void ServiceLost(string reason)
    {
        lock (_gate)
        {
            ServiceLostReason = reason;
            Publish(new WatchEvent { Type = WatchEventType.ServiceLost, Reason = reason, At = time.GetUtcNow() });
        }
    }

    public void ServiceRestored(TimeSpan gap)
    {
        lock (_gate)
        {
            ServiceLostReason = null;
            Publish(new WatchEvent { Type = WatchEventType.ServiceRestored, GapMilliseconds = gap.TotalMilliseconds, At = time.GetUtcNow() });
        }
    }

    private Slot SlotOf(string reader)
    {
        if (!_readers.TryGetValue(reader, out var slot))
        {
            // A card event for a reader not announced (cannot happen with ReaderMonitor, which attaches first).
            slot = new Slot(reader, time.GetUtcNow());
            _readers[reader] = slot;
        }

        return slot;
    }

    /// <summary>Cancels the reader's current probe, if any, and forgets it as current. Called under the lock.</summary>
    private static void Drop(Slot slot, ProbeDrop why)
    {
        if (slot.Probe is { } probe)
        {
            Cancel(probe, why);
            slot.Probe = null;
        }
    }

    private static void Cancel(RunningProbe probe, ProbeDrop why)
    {
        if (probe.Dropped != ProbeDrop.None)
        {
            return;
        }

        probe.Dropped = why;

        // Asynchronously: the prober's cancellation callbacks (killing a probe host) must not run under the lock.
        _ = probe.Cancellation.CancelAsync();
    }

    private CheckHistoryEntry Record(Slot slot, ImmutableArray<byte>? atr, CardNameEntry? card, ReaderState state, TokenReport? report, string? error, DateTimeOffset now)
    {
        var probe = slot.Probe;
        var check = new CheckHistoryEntry
        {
            Reader = slot.Name,
            Atr = Hex(atr),
            Card = card,
            State = state.Name(),
            Verdict = report?.Verdict,
            TokenLabel = probe?.Target.TokenLabel ?? report?.Tokens.FirstOrDefault()?.Label,
            Module = probe?.Target.Module ?? report?.Module.Path,
            Error = error,
            StartedAt = probe?.StartedAt ?? now,
            DurationMilliseconds = probe is null ? 0 : (now - probe.StartedAt).TotalMilliseconds,
        };
        _history.AddFirst(check);
        while (_history.Count > _historyCapacity)
        {
            _history.RemoveLast();
        }

        return check;
    }

    private void Publish(WatchEventType type, Slot slot, CheckHistoryEntry? check = null) =>
        Publish(new WatchEvent { Type = type, At = slot.UpdatedAt, ReaderName = slot.Name, State = slot.ToEntry(), Check = check });

    internal static string? Hex(ImmutableArray<byte>? bytes) => bytes is { } b ? Convert.ToHexString(b.AsSpan()) : null;

    /// <summary>A probe in flight: its id, reader, what it reads, when it started, and its cancellation.</summary>
    private sealed record RunningProbe(long Id, string Reader, ProbeTarget Target, DateTimeOffset StartedAt, CancellationTokenSource Cancellation)
    {
        /// <summary>Why the store cancelled it; <see cref="ProbeDrop.None"/> while its result is wanted.</summary>
        public ProbeDrop Dropped { get; set; }
    }

    /// <summary>One reader; mutated only under the store's lock.</summary>
    private sealed class Slot(string name, DateTimeOffset at)
    {
        public string Name { get; } = name;
        public bool CardPresent { get; set; }
        public ImmutableArray<byte>? Atr { get; set; }
        public CardNameEntry? Card { get; set; }
        public ReaderState State { get; private set; } = ReaderState.Empty;
        public TokenReport? Report { get; private set; }
        public string? Error { get; private set; }
        public DateTimeOffset UpdatedAt { get; private set; } = at;

        /// <summary>The probe whose result the reader waits for, or null.</summary>
        public RunningProbe? Probe { get; set; }

        public void Set(ReaderState state, TokenReport? report, string? error, DateTimeOffset at)
        {
            State = state;
            Report = report;
            Error = error;
            UpdatedAt = at;
        }

        public ReaderStateEntry ToEntry() => new()
        {
            Name = Name,
            CardPresent = CardPresent,
            Atr = Hex(Atr),
            Card = Card,
            State = State.Name(),
            Report = Report,
            Error = Error,
            UpdatedAt = UpdatedAt,
        };
    }
}

/// <summary>A probe begun by <see cref="ReaderStateStore.BeginProbe"/>: its id, and the token the store cancels.</summary>
internal readonly record struct ProbeTicket(long Id, CancellationToken Cancellation);

/// <summary>A check the store recorded: its state, the token verdict when there is one, and why not otherwise.</summary>
internal sealed record FinishedCheck(ReaderState State, string? Verdict, string? Error)
{
    /// <summary>The card's ATR.</summary>
    public ImmutableArray<byte>? Atr { get; init; }

    /// <summary>The card's family as the store named it at insertion (its <see cref="CardNameEntry.Family"/>), or null.</summary>
    public string? Family { get; init; }

    /// <summary>The report behind <see cref="Verdict"/>, when there is one.</summary>
    public TokenReport? Report { get; init; }
}

/// <summary>What <see cref="ReaderStateStore.CompleteProbe"/> did with an outcome.</summary>
/// <param name="Dropped">Why the outcome was not applied, or <see cref="ProbeDrop.None"/>.</param>
/// <param name="Check">The check recorded when it was applied.</param>
internal readonly record struct ProbeCompletion(ProbeDrop Dropped, FinishedCheck? Check);

/// <summary>Why a probe's result is not wanted any more.</summary>
internal enum ProbeDrop
{
    /// <summary>Wanted: applied.</summary>
    None,
    /// <summary>The card (or its reader) left during the probe (recorded as removed-during-probe when it left).</summary>
    CardGone,
    /// <summary>A newer probe of the same card replaced this one.</summary>
    Superseded,
    /// <summary>The watcher stopped.</summary>
    Shutdown,
}
