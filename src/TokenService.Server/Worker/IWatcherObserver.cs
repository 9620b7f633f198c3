using TokenService.Probing;

namespace TokenService.Worker;

/// <summary>
/// What <see cref="CardWorker"/> tells as it goes, for whoever counts and traces it (the telemetry). The worker
/// knows only this interface; every call comes from its loop, one at a time.
/// </summary>
internal interface IWatcherObserver
{
    /// <summary>A check finished: a verdict, a module failure, no binding, or the card pulled during its probe.</summary>
    void CheckFinished(FinishedCheck check);

    /// <summary>A probe's outcome came back, applied or dropped (see <see cref="ProbeRun.Dropped"/>).</summary>
    void ProbeEnded(ProbeRun run);

    /// <summary>pcscd answers again after it was lost.</summary>
    void ServiceRestored(TimeSpan gap);
}

/// <summary>One probe from its start to its outcome.</summary>
/// <param name="Reader">The reader of the card.</param>
/// <param name="Target">What was probed.</param>
/// <param name="Elapsed">From the start of the probe to its outcome, on the worker's <see cref="TimeProvider"/>.</param>
/// <param name="Dropped">Why its outcome was not applied, or <see cref="ProbeDrop.None"/>.</param>
/// <param name="Check">The check it gave, when applied.</param>
internal sealed record ProbeRun(string Reader, ProbeTarget Target, TimeSpan Elapsed, ProbeDrop Dropped, FinishedCheck? Check);
