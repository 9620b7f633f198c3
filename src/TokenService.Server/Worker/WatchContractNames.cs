using TokenService.Contracts;

namespace TokenService.Worker;

/// <summary>
/// The one mapping from the watcher's enums to the kebab-case names of the JSON contract (<see cref="ReaderStateNames"/>,
/// <see cref="WatchEventTypes"/>): inside, states and events are enums; their names are spelt only when an entry
/// leaves for <c>GET /api/readers</c>, <c>/api/history</c> or <c>/api/events</c>.
/// </summary>
internal static class WatchContractNames
{
#pragma warning disable CS8524 // every named value is listed (CS8509 would flag one missing); a cast integer throws
    /// <summary>The contract's name for <paramref name="state"/> (<c>GET /api/readers</c>, events, history).</summary>
    /// <exception cref="System.Runtime.CompilerServices.SwitchExpressionException">a value outside the enum.</exception>
    public static string Name(this ReaderState state) => state switch
    {
        ReaderState.Empty => ReaderStateNames.Empty,
        ReaderState.Probing => ReaderStateNames.Probing,
        ReaderState.Verdict => ReaderStateNames.Verdict,
        ReaderState.RemovedDuringProbe => ReaderStateNames.RemovedDuringProbe,
        ReaderState.ModuleFailed => ReaderStateNames.ModuleFailed,
        ReaderState.NoBinding => ReaderStateNames.NoBinding,
    };

    /// <summary>The contract's name for <paramref name="type"/>: the SSE event name and <see cref="WatchEventEntry.Type"/>.</summary>
    /// <exception cref="System.Runtime.CompilerServices.SwitchExpressionException">a value outside the enum.</exception>
    public static string Name(this WatchEventType type) => type switch
    {
        WatchEventType.ReaderAttached => WatchEventTypes.ReaderAttached,
        WatchEventType.ReaderDetached => WatchEventTypes.ReaderDetached,
        WatchEventType.CardInserted => WatchEventTypes.CardInserted,
        WatchEventType.CardRemoved => WatchEventTypes.CardRemoved,
        WatchEventType.ServiceLost => WatchEventTypes.ServiceLost,
        WatchEventType.ServiceRestored => WatchEventTypes.ServiceRestored,
        WatchEventType.ProbeStarted => WatchEventTypes.ProbeStarted,
        WatchEventType.Verdict => WatchEventTypes.Verdict,
        WatchEventType.EventsDropped => WatchEventTypes.EventsDropped,
    };
#pragma warning restore CS8524
}
