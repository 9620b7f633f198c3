using TokenService.Contracts;

namespace TokenService.Worker;

/// <summary>What a watcher event says happened; the contract spells it with <see cref="WatchEventTypes"/>.</summary>
internal enum WatchEventType
{
    ReaderAttached,
    ReaderDetached,
    CardInserted,
    CardRemoved,
    /// <summary>pcscd stopped answering: <see cref="WatchEvent.Reason"/> holds the failing call and its code.</summary>
    ServiceLost,
    /// <summary>pcscd answers again: <see cref="WatchEvent.GapMilliseconds"/> says after how long.</summary>
    ServiceRestored,
    /// <summary>A probe of the card started (on insertion, or on <c>POST /api/check</c>).</summary>
    ProbeStarted,
    /// <summary>A check finished: a verdict, a module failure, no binding, or the card pulled mid-probe.</summary>
    Verdict,
    /// <summary>Made for one subscriber that was too slow: <see cref="WatchEvent.Reason"/> holds how many it lost.</summary>
    EventsDropped,
}

/// <summary>
/// One change the watcher broadcasts to its subscribers (<see cref="ReaderStateStore.Subscribe"/>), typed; it
/// becomes a <see cref="WatchEventEntry"/> of the contract only where it leaves the process (<see cref="ToEntry"/>).
/// </summary>
internal sealed record WatchEvent
{
    /// <summary>Increases by one per event of this process.</summary>
    public long Sequence { get; init; }
    public required WatchEventType Type { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>The reader concerned, or null for service events.</summary>
    public string? ReaderName { get; init; }
    public string? Reason { get; init; }
    public double? GapMilliseconds { get; init; }
    /// <summary>The reader's state after this event (null for service events).</summary>
    public ReaderStateEntry? State { get; init; }
    /// <summary>For <see cref="WatchEventType.Verdict"/>: the finished check, as the history lists it.</summary>
    public CheckHistoryEntry? Check { get; init; }

    public WatchEventEntry ToEntry() => new()
    {
        Sequence = Sequence,
        Type = Type.Name(),
        At = At,
        ReaderName = ReaderName,
        Reason = Reason,
        GapMilliseconds = GapMilliseconds,
        State = State,
        Check = Check,
    };
}
