using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Telemetry;

/// <summary>What the telemetry makes of what the card watcher tells it (<see cref="IWatcherObserver"/>).</summary>
public sealed class TokenServiceInstrumentationTests : IDisposable
{
    private static readonly ProbeTarget Target = new("/usr/lib/softhsm/libsofthsm2.so", new Dictionary<string, string>(), "rsa2048-full", null, null);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<Activity> _spans = [];
    private readonly List<(string Instrument, double Value, string? Tag)> _measurements = [];
    private readonly List<(string Instrument, string Family)> _familyLabels = [];
    private readonly ActivityListener _spanListener;
    private readonly MeterListener _meterListener = new();
    private readonly TokenServiceInstrumentation _telemetry;

    public TokenServiceInstrumentationTests()
    {
        _spanListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TokenServiceInstrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Tests running in parallel make spans of the same source name: only this test's instance counts.
            ActivityStopped = span =>
            {
                if (ReferenceEquals(span.Source, _telemetry?.Source))
                {
                    lock (_spans)
                    {
                        _spans.Add(span);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_spanListener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TokenServiceInstrumentation.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
        _telemetry = new TokenServiceInstrumentation(() => (2, 1), _time);
    }

    [Fact]
    public void ProbeEnded_Applied_GivesASpanOverTheProbeOnTheInjectedClock_WithStatusVerdictAndDuration()
    {
        var check = new FinishedCheck(ReaderState.Verdict, "compatible", null);

        _telemetry.ProbeEnded(new ProbeRun("Virtual PCD 00 00", Target, TimeSpan.FromMilliseconds(1500), ProbeDrop.None, check));

        var span = Assert.Single(_spans);
        Assert.Equal("probe Virtual PCD 00 00", span.DisplayName);
        Assert.Equal((_time.GetUtcNow() - TimeSpan.FromMilliseconds(1500)).UtcDateTime, span.StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), span.Duration);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(
            [("tokenservice.reader", "Virtual PCD 00 00"), ("tokenservice.token.label", "rsa2048-full"), ("tokenservice.module", Target.Module),
             ("tokenservice.probe.status", "verdict"), ("tokenservice.verdict", "compatible")],
            span.Tags.Select(t => (t.Key, t.Value)));
        Assert.Equal(("tokenservice.probe.duration", 1.5d, (string?)"verdict"), Assert.Single(_measurements));
    }

    [Theory]
    [InlineData((int)ProbeDrop.CardGone, "removed-during-probe")]
    [InlineData((int)ProbeDrop.Superseded, "superseded")]
    [InlineData((int)ProbeDrop.Shutdown, "cancelled")]
    public void ProbeEnded_Dropped_NamesWhyInItsStatus_AndShutdownRecordsNoDuration(int dropped, string status)
    {
        _telemetry.ProbeEnded(new ProbeRun("R", Target, TimeSpan.FromMilliseconds(20), (ProbeDrop)dropped, null));

        Assert.Equal(status, Assert.Single(_spans).GetTagItem(TokenServiceInstrumentation.StatusAttribute));
        Assert.Equal((ProbeDrop)dropped == ProbeDrop.Shutdown ? [] : [("tokenservice.probe.duration", 0.02d, status)], _measurements);
    }

    [Fact]
    public void ProbeEnded_ModuleFailed_MarksTheSpanAnError_WithWhy()
    {
        _telemetry.ProbeEnded(new ProbeRun("R", Target, TimeSpan.FromMilliseconds(5), ProbeDrop.None, new FinishedCheck(ReaderState.ModuleFailed, null, "probe host died")));

        var span = Assert.Single(_spans);
        Assert.Equal((ActivityStatusCode.Error, "probe host died", "module-failed"), (span.Status, span.StatusDescription, span.GetTagItem(TokenServiceInstrumentation.StatusAttribute)));
    }

    [Fact]
    public void CheckFinished_CountsByVerdict_OrByStateWithoutOne_AndServiceRestoredCountsAReconnect()
    {
        _telemetry.CheckFinished(new FinishedCheck(ReaderState.Verdict, "tls12-only", null));
        _telemetry.CheckFinished(new FinishedCheck(ReaderState.NoBinding, null, "no binding"));
        _telemetry.ServiceRestored(TimeSpan.FromSeconds(2));

        Assert.Equal(
            [("tokenservice.checks", 1d, (string?)"tls12-only"), ("tokenservice.checks", 1d, "no-binding"), ("tokenservice.pcscd.reconnects", 1d, null)],
            _measurements);
    }

    [Fact]
    public void ProbeEnded_CardWithFamily_SpanAndCheckCounterCarryTheStoresFamily()
    {
        var check = new FinishedCheck(ReaderState.Verdict, "compatible", null) { Family = "yubikey-piv-opensc" };

        _telemetry.ProbeEnded(new ProbeRun("Virtual PCD 00 00", Target, TimeSpan.FromMilliseconds(40), ProbeDrop.None, check, "yubikey-piv-opensc"));
        _telemetry.CheckFinished(check);

        Assert.Equal("yubikey-piv-opensc", Assert.Single(_spans).GetTagItem(TokenServiceInstrumentation.FamilyAttribute));
        Assert.Equal(("tokenservice.checks", "yubikey-piv-opensc"), Assert.Single(_familyLabels));
        Assert.DoesNotContain(_measurements, m => m.Tag == "yubikey-piv-opensc"); // the family is its own label, not the verdict's
    }

    [Fact]
    public void CheckFinished_CardTheCatalogDoesNotKnow_CountedUnderUnknownFamily()
    {
        _telemetry.CheckFinished(new FinishedCheck(ReaderState.NoBinding, null, "no binding"));

        Assert.Equal(("tokenservice.checks", TokenServiceInstrumentation.UnknownFamily), Assert.Single(_familyLabels));
    }

    public void Dispose()
    {
        _meterListener.Dispose();
        _spanListener.Dispose();
        _telemetry.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!ReferenceEquals(instrument.Meter, _telemetry?.Meter))
        {
            return; // another test's instance
        }

        string? tag = null;
        foreach (var pair in tags)
        {
            if (pair.Key is TokenServiceInstrumentation.VerdictAttribute or TokenServiceInstrumentation.StatusAttribute)
            {
                tag = pair.Value as string;
            }
            else if (pair.Key == TokenServiceInstrumentation.FamilyAttribute)
            {
                _familyLabels.Add((instrument.Name, (string)pair.Value!));
            }
        }

        _measurements.Add((instrument.Name, value, tag));
    }
}
