using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TokenService.Telemetry;

/// <summary>
/// The one owner of TokenService's <see cref="ActivitySource"/> and <see cref="Meter"/> (both named
/// <see cref="Name"/>): a span per probe, checks by verdict, probe duration, readers present, pcscd reconnects.
/// Attributes carry the reader, token label, module path, verdict and status; never a PIN or PIN file content.
/// </summary>
internal sealed class TokenServiceInstrumentation : IDisposable
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

    /// <param name="presence">Reads the readers attached and cards present, for the observable gauges.</param>
    public TokenServiceInstrumentation(Func<(int Readers, int Cards)> presence)
    {
        _meter = new Meter(Name);
        _checks = _meter.CreateCounter<long>("tokenservice.checks", "{check}", "Finished checks of a card, by verdict (or the state when there is none).");
        _probeDuration = _meter.CreateHistogram<double>("tokenservice.probe.duration", "ms", "Time from the start of a probe to its outcome.");
        _reconnects = _meter.CreateCounter<long>("tokenservice.pcscd.reconnects", "{reconnect}", "Times the watcher got pcscd back after losing it.");
        _meter.CreateObservableGauge("tokenservice.readers.present", () => presence().Readers, "{reader}", "PC/SC readers attached.");
        _meter.CreateObservableGauge("tokenservice.cards.present", () => presence().Cards, "{card}", "Cards in a reader.");
    }

    /// <summary>Starts the span of one probe (null when nobody listens).</summary>
    public Activity? StartProbe(string reader, string? tokenLabel, string module)
    {
        var activity = _source.StartActivity("probe " + reader, ActivityKind.Internal);
        activity?.SetTag(ReaderAttribute, reader);
        activity?.SetTag(TokenLabelAttribute, tokenLabel);
        activity?.SetTag(ModuleAttribute, module);
        return activity;
    }

    /// <summary>Ends the probe's span and records its duration; <paramref name="verdict"/> is null when there is none.</summary>
    public static void EndProbe(Activity? activity, string status, string? verdict, string? error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(StatusAttribute, status);
        activity.SetTag(VerdictAttribute, verdict);
        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }

        activity.Stop();
    }

    public void ProbeDuration(TimeSpan duration, string status) =>
        _probeDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>(StatusAttribute, status));

    /// <summary>Counts a finished check under its verdict, or its state when it has none (module-failed, ...).</summary>
    public void CheckFinished(string verdictOrState) =>
        _checks.Add(1, new KeyValuePair<string, object?>(VerdictAttribute, verdictOrState));

    public void PcscdReconnected() => _reconnects.Add(1);

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }
}
