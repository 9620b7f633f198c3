using System.Diagnostics;
using System.Diagnostics.Metrics;
using TokenService.Worker;

namespace TokenService.Telemetry;

/// <summary>
/// The one owner of TokenService's <see cref="ActivitySource"/> and <see cref="Meter"/> (both named
/// <see cref="Name"/>): a span per probe, checks by verdict, probe duration, readers present, pcscd reconnects.
/// Attributes carry the reader, token label, module path, verdict and status; never a PIN or PIN file content.
/// It learns what happens by observing the card watcher (<see cref="IWatcherObserver"/>); the watcher does not know it.
/// </summary>
internal sealed class TokenServiceInstrumentation : IWatcherObserver, IDisposable
{
    public const string Name = "TokenService";

    // Attribute names, one place (OpenTelemetry naming: lower-case, dot-separated namespaces).
    public const string ReaderAttribute = "tokenservice.reader";
    public const string TokenLabelAttribute = "tokenservice.token.label";
    public const string ModuleAttribute = "tokenservice.module";
    public const string VerdictAttribute = "tokenservice.verdict";
    public const string StatusAttribute = "tokenservice.probe.status";

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _probeDuration;
    private readonly Counter<long> _reconnects;
    private readonly TimeProvider _time;

    /// <param name="presence">Reads the readers attached and cards present, for the observable gauges.</param>
    /// <param name="time">The clock a probe's span is placed on (it ends now, and began its elapsed time before).</param>
    public TokenServiceInstrumentation(Func<(int Readers, int Cards)> presence, TimeProvider time)
    {
        _time = time;
        _meter = new Meter(Name);
        _checks = _meter.CreateCounter<long>("tokenservice.checks", "{check}", "Finished checks of a card, by verdict (or the state when there is none).");
        _probeDuration = _meter.CreateHistogram<double>("tokenservice.probe.duration", "ms", "Time from the start of a probe to its outcome.");
        _reconnects = _meter.CreateCounter<long>("tokenservice.pcscd.reconnects", "{reconnect}", "Times the watcher got pcscd back after losing it.");
        _meter.CreateObservableGauge("tokenservice.readers.present", () => presence().Readers, "{reader}", "PC/SC readers attached.");
        _meter.CreateObservableGauge("tokenservice.cards.present", () => presence().Cards, "{card}", "Cards in a reader.");
    }

    /// <summary>The probe's status attribute: the reader state it gave, or why its outcome was dropped.</summary>
    public static string Status(ProbeRun run) =>
#pragma warning disable CS8524 // every named value is listed (CS8509 would flag one missing); a cast integer throws
        run.Dropped switch
        {
            ProbeDrop.None => run.Check!.State.Name(),
            ProbeDrop.CardGone => ReaderState.RemovedDuringProbe.Name(),
            ProbeDrop.Superseded => "superseded",
            ProbeDrop.Shutdown => "cancelled",
        };
#pragma warning restore CS8524

    /// <summary>Counts a finished check under its verdict, or its state when it has none (module-failed, ...).</summary>
    public void CheckFinished(FinishedCheck check) =>
        _checks.Add(1, new KeyValuePair<string, object?>(VerdictAttribute, check.Verdict ?? check.State.Name()));

    /// <summary>The probe's span, from its start to its outcome, and its duration (not for probes cut short by shutdown).</summary>
    public void ProbeEnded(ProbeRun run)
    {
        var status = Status(run);
        if (run.Dropped != ProbeDrop.Shutdown)
        {
            _probeDuration.Record(run.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>(StatusAttribute, status));
        }

        var now = _time.GetUtcNow();
        using var activity = _source.StartActivity("probe " + run.Reader, ActivityKind.Internal, parentContext: default, startTime: now - run.Elapsed);
        if (activity is null)
        {
            return; // nobody listens
        }

        activity.SetTag(ReaderAttribute, run.Reader);
        activity.SetTag(TokenLabelAttribute, run.Target.TokenLabel);
        activity.SetTag(ModuleAttribute, run.Target.Module);
        activity.SetTag(StatusAttribute, status);
        activity.SetTag(VerdictAttribute, run.Check?.Verdict);
        if (run.Check?.Error is { } error)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }

        activity.SetEndTime(now.UtcDateTime);
    }

    public void ServiceRestored(TimeSpan gap) => _reconnects.Add(1);

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }
}
