using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using TokenService.Contracts;
using TokenService.Probing;

namespace TokenService.Worker;

/// <summary>
/// What the watcher knows now: each reader with its card, state and last report, a bounded history of
/// finished checks, and a broadcast of every change to any number of subscribers.
/// </summary>
/// <remarks>
/// Thread-safe. Every change takes one lock, builds its event and hands it to each subscriber with a
/// non-blocking write, so subscribers see changes in one order (<see cref="WatchEventEntry.Sequence"/>) and a
/// slow subscriber never holds up the worker (see <see cref="Subscription"/>).
/// A probe result is applied only while the probe it answers is the reader's current one and the card is still
/// in: a result that arrives after its card left, or after a newer probe of it started, is dropped, so a
/// stale verdict is never shown.
/// </remarks>
internal sealed partial class ReaderStateStore(TimeProvider time, IOptions<WorkerOptions> options)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Slot> _readers = new(StringComparer.Ordinal);
    private readonly LinkedList<CheckHistoryEntry> _history = new();
    private readonly int _historyCapacity = options.Value.HistoryCapacity;
    private readonly int _subscriberBuffer = options.Value.SubscriberBuffer;
    private ImmutableArray<Subscription> _subscribers = [];
    private long _sequence;
    private long _probeIds;

    /// <summary>Null while pcscd answers; the reason it was lost otherwise.</summary>
    public string? ServiceLostReason { get; private set; }

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
            var slot = new Slot(reader, time.GetUtcNow());
            _readers[reader] = slot;
            Publish(WatchEventTypes.ReaderAttached, slot);
        }
    }

    public void ReaderDetached(string reader)
    {
        lock (_gate)
        {
            if (_readers.Remove(reader, out var slot))
            {
                Publish(WatchEventTypes.ReaderDetached, slot);
            }
        }
    }

    public void CardInserted(string reader, ImmutableArray<byte> atr)
    {
        lock (_gate)
        {
            var slot = SlotOf(reader);
            slot.Set(ReaderStateNames.Empty, report: null, error: null, time.GetUtcNow());
            slot.CardPresent = true;
            slot.Atr = atr;
            Publish(WatchEventTypes.CardInserted, slot);
        }
    }

    /// <summary>
    /// The card left. A probe still running becomes a <see cref="ReaderStateNames.RemovedDuringProbe"/> check at
    /// once (its result, whenever it comes, is dropped); otherwise the reader's verdict is cleared.
    /// </summary>
    /// <returns>True when a probe was running.</returns>
    public bool CardRemoved(string reader)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot) || !slot.CardPresent)
            {
                return false;
            }

            var now = time.GetUtcNow();
            var wasProbing = slot.State == ReaderStateNames.Probing;
            var atr = slot.Atr;
            slot.CardPresent = false;
            slot.Atr = null;
            if (wasProbing)
            {
                slot.Set(ReaderStateNames.RemovedDuringProbe, report: null, error: "the card was removed while it was being read: reinsert it", now);
            }
            else
            {
                slot.Set(ReaderStateNames.Empty, report: null, error: null, now);
            }

            Publish(WatchEventTypes.CardRemoved, slot);
            if (wasProbing)
            {
                var check = Record(slot, atr, ReaderStateNames.RemovedDuringProbe, report: null, slot.Error, now);
                Publish(WatchEventTypes.Verdict, slot, check);
            }

            slot.Probe = null;
            return wasProbing;
        }
    }

    /// <summary>A card whose reader no binding covers: nothing to probe.</summary>
    public void NoBinding(string reader, string error)
    {
        lock (_gate)
        {
            if (_readers.TryGetValue(reader, out var slot) && slot.CardPresent)
            {
                var now = time.GetUtcNow();
                slot.Probe = null;
                slot.Set(ReaderStateNames.NoBinding, report: null, error, now);
                var check = Record(slot, slot.Atr, ReaderStateNames.NoBinding, report: null, error, now);
                Publish(WatchEventTypes.Verdict, slot, check);
            }
        }
    }

    /// <summary>
    /// Marks the card in <paramref name="reader"/> as being probed for <paramref name="target"/>. A probe already
    /// running for it is superseded: its result will be dropped.
    /// </summary>
    /// <returns>The probe's id for <see cref="CompleteProbe"/>, or null when no card is in the reader.</returns>
    public long? BeginProbe(string reader, ProbeTarget target)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot) || !slot.CardPresent)
            {
                return null;
            }

            var now = time.GetUtcNow();
            slot.Probe = new RunningProbe(++_probeIds, target, now);
            slot.Set(ReaderStateNames.Probing, report: null, error: null, now);
            Publish(WatchEventTypes.ProbeStarted, slot);
            return slot.Probe.Id;
        }
    }

    /// <summary>Applies a probe's outcome if it is still the reader's current probe and its card is still in.</summary>
    /// <returns>How the outcome was taken: applied (with the check recorded), or dropped and why.</returns>
    public ProbeCompletion CompleteProbe(string reader, long probeId, ProbeOutcome outcome)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(reader, out var slot))
            {
                return new ProbeCompletion(ProbeDrop.CardGone, null); // the reader left, and its card with it
            }

            if (slot.Probe?.Id != probeId)
            {
                // CardRemoved already recorded this probe as removed-during-probe, or a newer probe replaced it.
                return new ProbeCompletion(slot.CardPresent && slot.Probe is not null ? ProbeDrop.Superseded : ProbeDrop.CardGone, null);
            }

            var now = time.GetUtcNow();
            var (state, report, error) = outcome.Status switch
            {
                ProbeStatus.Completed when outcome.Report is not null => (ReaderStateNames.Verdict, outcome.Report, (string?)null),
                ProbeStatus.Completed => (ReaderStateNames.ModuleFailed, null, "the prober completed without a report"),
                ProbeStatus.TokenNotFound => (ReaderStateNames.ModuleFailed, null, outcome.Error ?? $"no token labelled '{slot.Probe.Target.TokenLabel}' in {slot.Probe.Target.Module}"),
                ProbeStatus.RemovedDuringProbe => (ReaderStateNames.RemovedDuringProbe, null, outcome.Error ?? "the card was removed while it was being read: reinsert it"),
                ProbeStatus.Cancelled => (ReaderStateNames.ModuleFailed, null, outcome.Error ?? "the probe was cancelled"),
                _ => (ReaderStateNames.ModuleFailed, null, outcome.Error ?? "the module failed"),
            };
            slot.Set(state, report, error, now);
            var check = Record(slot, slot.Atr, state, report, error, now);
            slot.Probe = null;
            Publish(WatchEventTypes.Verdict, slot, check);
            return new ProbeCompletion(ProbeDrop.None, check);
        }
    }

    public void ServiceLost(string reason)
    {
        lock (_gate)
        {
            ServiceLostReason = reason;
            Publish(new WatchEventEntry { Type = WatchEventTypes.ServiceLost, Reason = reason, At = time.GetUtcNow() });
        }
    }

    public void ServiceRestored(TimeSpan gap)
    {
        lock (_gate)
        {
            ServiceLostReason = null;
            Publish(new WatchEventEntry { Type = WatchEventTypes.ServiceRestored, GapMilliseconds = gap.TotalMilliseconds, At = time.GetUtcNow() });
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

    private CheckHistoryEntry Record(Slot slot, ImmutableArray<byte>? atr, string state, TokenReport? report, string? error, DateTimeOffset now)
    {
        var probe = slot.Probe;
        var check = new CheckHistoryEntry
        {
            Reader = slot.Name,
            Atr = Hex(atr),
            State = state,
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

    private void Publish(string type, Slot slot, CheckHistoryEntry? check = null) =>
        Publish(new WatchEventEntry { Type = type, At = slot.UpdatedAt, ReaderName = slot.Name, State = slot.ToEntry(), Check = check });

    internal static string? Hex(ImmutableArray<byte>? bytes) => bytes is { } b ? Convert.ToHexString(b.AsSpan()) : null;

    /// <summary>A probe in flight: its id, what it reads and when it started.</summary>
    private sealed record RunningProbe(long Id, ProbeTarget Target, DateTimeOffset StartedAt);

    /// <summary>One reader; mutated only under the store's lock.</summary>
    private sealed class Slot(string name, DateTimeOffset at)
    {
        public string Name { get; } = name;
        public bool CardPresent { get; set; }
        public ImmutableArray<byte>? Atr { get; set; }
        public string State { get; private set; } = ReaderStateNames.Empty;
        public TokenReport? Report { get; private set; }
        public string? Error { get; private set; }
        public DateTimeOffset UpdatedAt { get; private set; } = at;
        public RunningProbe? Probe { get; set; }

        public void Set(string state, TokenReport? report, string? error, DateTimeOffset at)
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
            State = State,
            Report = Report,
            Error = Error,
            UpdatedAt = UpdatedAt,
        };
    }
}

/// <summary>What <see cref="ReaderStateStore.CompleteProbe"/> did with an outcome.</summary>
/// <param name="Dropped">Why the outcome was not applied, or <see cref="ProbeDrop.None"/>.</param>
/// <param name="Check">The check recorded when it was applied.</param>
internal readonly record struct ProbeCompletion(ProbeDrop Dropped, CheckHistoryEntry? Check);

internal enum ProbeDrop
{
    /// <summary>Applied.</summary>
    None,
    /// <summary>The card left during the probe (already recorded as removed-during-probe when it left).</summary>
    CardGone,
    /// <summary>A newer probe of the same card replaced this one.</summary>
    Superseded,
}
