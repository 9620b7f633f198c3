using System.Net;

namespace TokenService.Tests.Unit.Api;

/// <summary>
/// GET /metrics on the serve API: OpenTelemetry's Prometheus exporter behind the same request guard. Alone: a meter
/// provider listens to every meter named TokenService in the process, those of other tests' servers too.
/// </summary>
[Collection(MeterCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_CountTheCardByStateAndFamily_InPrometheusTextWithoutReaderNames()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = new HttpClient();

        var text = await client.GetStringAsync(new Uri(server.BaseAddress, "metrics"));
        for (var waited = 0; !text.Contains("tokenservice_checks_total{", StringComparison.Ordinal) && waited < 5000; waited += 50)
        {
            await Task.Delay(50); // the worker counts the check just after the card shows as present
            text = await client.GetStringAsync(new Uri(server.BaseAddress, "metrics"));
        }

        // The card in the fake reader matches no binding: one card present and one check, both "no-binding".
        Assert.Contains("# TYPE tokenservice_cards_present gauge", text);
        Assert.Equal("1", Sample(text, "tokenservice_cards_present", "tokenservice_card_family=\"unknown\"", "tokenservice_verdict=\"no-binding\""));
        Assert.Equal("1", Sample(text, "tokenservice_checks_total", "tokenservice_card_family=\"unknown\"", "tokenservice_verdict=\"no-binding\""));
        Assert.Equal("1", Sample(text, "tokenservice_readers_present"));
        Assert.DoesNotContain(ApiServer.Reader, text);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include <paramref name="labels"/>.</summary>
    private static string Sample(string text, string metric, params string[] labels) =>
        Assert.Single(text.Split('\n'), line => (line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal)) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .Split(' ')[1];

    [Fact]
    public async Task Metrics_WithAForeignHost_Is400()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "metrics"));
        request.Headers.Host = "evil.example:" + server.Port;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterCollection
{
    public const string Name = "TokenService meter";
}
