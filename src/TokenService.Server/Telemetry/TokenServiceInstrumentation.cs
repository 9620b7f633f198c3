using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenService.Contracts;
using TokenService.Worker;

namespace TokenService.Telemetry;

/// <summary>
/// The one owner of TokenService's <see cref="ActivitySource"/> and <see cref="Meter"/> (both named
/// <see cref="Name"/>): a span per probe, checks by verdict and card family, probe duration (seconds), readers
/// present, cards present by verdict and family, pcscd reconnects, probe host restarts; and the log record of each
/// finished check (<see cref="CheckRecord"/>). Span attributes carry the reader, token label, module path, verdict and
/// status; metric attributes only values of closed sets (verdict or state, card family id), never a reader name,
/// label or serial number; nothing carries a PIN or PIN file content.
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
    /// <summary>The card's catalog family: a span attribute and a metric label (a family, never a card).</summary>
    public const string FamilyAttribute = "tokenservice.card.family";

    /// <summary>
    /// A metric's family label for a card the catalog does not know. Family ids come from the store's card naming at
    /// insertion (SmartCards/CardIdentifier): catalog ids, never free text from the card.
    /// </summary>
    public const string UnknownFamily = "unknown";

    /// <summary>
    /// Bucket bounds of the probe duration in seconds: 5 ms (a warm SoftHSM probe) to 30 s (beyond the default
    /// probe timeout), in the spirit of OpenTelemetry's advice for HTTP durations in seconds.
    /// </summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;

    /// <summary>This instance's source: listeners tell its spans from those of other instances with the same name.</summary>
    internal ActivitySource Source => _source;

    /// <summary>This instance's meter: listeners tell its measurements from those of other instances with the same name.</summary>
    internal Meter Meter => _meter;
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _probeDuration;
    private readonly Counter<long> _reconnects;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<ReaderStateEntry>> _readers;
    private readonly ILogger _logger;
    private readonly bool _includeSerialNumbers;

    // The (verdict, family) pairs the cards-present gauge has reported: a pair with no card left reports 0, or the
    // exporter would go on showing its last count.
    private readonly HashSet<(string Verdict, string Family)> _presentSeen = [];

    /// <param name="presence">Reads the readers attached and cards present, for the readers gauge.</param>
    /// <param name="time">The clock a probe's span is placed on (it ends now, and began its elapsed time before).</param>
    /// <param name="readers">Reads each reader with its card's family and state, for the cards gauge (default: none).</param>
    /// <param name="probeHostRestarts">Reads how many probe hosts were replaced so far (default: none counted).</param>
    /// <param name="logger">Receives one <see cref="CheckRecord"/> per finished check.</param>
    /// <param name="options">Whether serial numbers go into the records as they are.</param>
    public TokenServiceInstrumentation(
        Func<(int Readers, int Cards)> presence,
        TimeProvider time,
        Func<IReadOnlyList<ReaderStateEntry>>? readers = null,
        Func<long>? probeHostRestarts = null,
        ILogger<TokenServiceInstrumentation>? logger = null,
        TelemetryOptions? options = null)
    {
        _time = time;
        _readers = readers ?? (static () => []);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _includeSerialNumbers = options?.IncludeSerialNumbers ?? false;
        _meter = new Meter(Name);
        _checks = _meter.CreateCounter<long>("tokenservice.checks", "{check}", "Finished checks of a card, by verdict (or the state when there is none) and card family.");
        _probeDuration = _meter.CreateHistogram(
            "tokenservice.probe.duration", "s", "Time from the start of a probe to its outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _reconnects = _meter.CreateCounter<long>("tokenservice.pcscd.reconnects", "{reconnect}", "Times the watcher got pcscd back after losing it.");
        _meter.CreateObservableGauge("tokenservice.readers.present", () => presence().Readers, "{reader}", "PC/SC readers attached.");
        _meter.CreateObservableGauge("tokenservice.cards.present", CardsPresent, "{card}", "Cards in a reader, by verdict (or state: probing, module-failed, ...) and card family.");
        _meter.CreateObservableCounter("tokenservice.probe_host.restarts", probeHostRestarts ?? (static () => 0L), "{restart}", "Probe hosts started in place of one that crashed, hung or was killed.");
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

    /// <summary>
    /// Counts a finished check under its verdict, or its state when it has none (module-failed, no-binding,
    /// removed-during-probe), and its card's family; and writes it as one <see cref="CheckRecord"/>.
    /// </summary>
    public void CheckFinished(FinishedCheck check)
    {
        var family = check.Family ?? UnknownFamily;
        _checks.Add(1, new KeyValuePair<string, object?>(VerdictAttribute, check.Verdict ?? check.State.Name()), new KeyValuePair<string, object?>(FamilyAttribute, family));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            new CheckRecord(check.State.Name(), family, check.Report, _includeSerialNumbers).WriteTo(_logger);
        }
    }

    /// <summary>The probe's span, from its start to its outcome, and its duration (not for probes cut short by shutdown).</summary>
    public void ProbeEnded(ProbeRun run)
    {
        var status = Status(run);
        if (run.Dropped != ProbeDrop.Shutdown)
        {
            _probeDuration.Record(run.Elapsed.TotalSeconds, new KeyValuePair<string, object?>(StatusAttribute, status));
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
        activity.SetTag(FamilyAttribute, run.CardFamily);
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

    private IEnumerable<Measurement<int>> CardsPresent()
    {
        var counts = new Dictionary<(string Verdict, string Family), int>();
        foreach (var reader in _readers())
        {
            if (reader.CardPresent)
            {
                var key = (reader.Report?.Verdict ?? reader.State, reader.Card?.Family ?? UnknownFamily);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        lock (_presentSeen)
        {
            _presentSeen.UnionWith(counts.Keys);
            return [.. _presentSeen.Select(key => new Measurement<int>(
                counts.GetValueOrDefault(key),
                new KeyValuePair<string, object?>(VerdictAttribute, key.Verdict),
                new KeyValuePair<string, object?>(FamilyAttribute, key.Family)))];
        }
    }
}
