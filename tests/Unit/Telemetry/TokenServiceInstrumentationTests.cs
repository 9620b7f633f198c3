using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Worker;

namespace TokenService.Tests.Unit.Telemetry;

public sealed class TokenServiceInstrumentationTests
{
    private static readonly ProbeTarget Target = new("/usr/lib/softhsm/libsofthsm2.so", new Dictionary<string, string>(), "rsa2048-full", null, null);

    [Fact]
    public void ProbeEnded_CardWithFamily_SpanCarriesTheFamily_MetricsDoNot()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TokenServiceInstrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var metricTags = new List<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TokenServiceInstrumentation.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) => metricTags.AddRange(tags.ToArray().Select(t => t.Key)));
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) => metricTags.AddRange(tags.ToArray().Select(t => t.Key)));
        meters.Start();
        using var instrumentation = new TokenServiceInstrumentation(() => (1, 1), new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)));
        var check = new FinishedCheck(ReaderState.Verdict, "compatible", null);

        instrumentation.ProbeEnded(new ProbeRun("Virtual PCD 00 00", Target, TimeSpan.FromMilliseconds(40), ProbeDrop.None, check, "yubikey-piv-opensc"));
        instrumentation.CheckFinished(check);

        var span = Assert.Single(spans, s => s.OperationName == "probe Virtual PCD 00 00");
        Assert.Equal("yubikey-piv-opensc", span.GetTagItem(TokenServiceInstrumentation.CardFamilyAttribute));
        Assert.NotEmpty(metricTags);
        Assert.DoesNotContain(TokenServiceInstrumentation.CardFamilyAttribute, metricTags);
    }
}
