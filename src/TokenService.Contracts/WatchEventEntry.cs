using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// One event of the watcher (`GET /api/events`, server-sent events: the SSE event name is <see cref="Type"/>,
/// the data this record on one line).
/// </summary>
public sealed record WatchEventEntry
{
    /// <summary>Increases by one per event of this process; a gap means this subscriber was too slow and lost events.</summary>
    [JsonPropertyName("sequence")] public long Sequence { get; init; }
    /// <summary>See <see cref="WatchEventTypes"/>.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }
    /// <summary>The reader concerned, or null for service events.</summary>
    [JsonPropertyName("reader")] public string? ReaderName { get; init; }
    /// <summary>For `service-lost`: the failing PC/SC call and its code. For `events-dropped`: how many.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary>For `service-restored`: how long pcscd was unreachable.</summary>
    [JsonPropertyName("gapMilliseconds")] public double? GapMilliseconds { get; init; }
    /// <summary>The reader's state after this event (null for service events): for `verdict` it holds the report.</summary>
    [JsonPropertyName("state")] public ReaderStateEntry? State { get; init; }
    /// <summary>For `verdict`: the finished check, as <c>GET /api/history</c> lists it.</summary>
    [JsonPropertyName("check")] public CheckHistoryEntry? Check { get; init; }
}

/// <summary>The values of <see cref="WatchEventEntry.Type"/>.</summary>
public static class WatchEventTypes
{
    public const string ReaderAttached = "reader-attached";
    public const string ReaderDetached = "reader-detached";
    public const string CardInserted = "card-inserted";
    public const string CardRemoved = "card-removed";
    public const string ServiceLost = "service-lost";
    public const string ServiceRestored = "service-restored";
    /// <summary>A probe of the card started (on insertion, or on `POST /api/check`).</summary>
    public const string ProbeStarted = "probe-started";
    /// <summary>A check finished: a verdict, a module failure, no binding, or the card pulled mid-probe.</summary>
    public const string Verdict = "verdict";
    /// <summary>Sent to one subscriber that was too slow: `reason` holds how many events it lost.</summary>
    public const string EventsDropped = "events-dropped";
}
