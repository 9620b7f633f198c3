using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;
using static TokenService.Tests.Hardware.Worker.WatcherBench;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// `tokenservice serve` as a child process, as the fleet runs it: its HTTP API and event stream deliver what the
/// worker decided, its console telemetry carries the probe span, and no output ever holds the PIN.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class ServeTests(PcscdFixture pcscd, ProfilesFixture profiles, ITestOutputHelper output)
    : IClassFixture<ProfilesFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly ImmutableArray<byte> Atr = UniqueAtr();

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { "X-TokenService", "1" } } };

    private string BindingsFile => WatcherBench.BindingsFile(profiles);

    public Task InitializeAsync() => WatcherBench.PrepareAsync(pcscd, profiles);

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_ApiAndEventStream_DeliverTheWorkersVerdicts_TelemetryHasTheProbeSpan_AndNoOutputHoldsThePin()
    {
        var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
        await using var serve = ServeProcess.Start(["--bindings", BindingsFile]);
        try
        {
            await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
            using var stream = new CancellationTokenSource();
            var events = Channel.CreateUnbounded<WatchEventEntry>();
            var reading = ReadEventsAsync(serve, events.Writer, stream.Token);
            await WaitForReadersAsync(serve);

            await using var card = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent);
            var verdict = await NextAsync(events.Reader, Atr, WatchEventTypes.Verdict, Verdict);
            var readers = await GetAsync(serve, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry);

            var reader = Assert.Single(readers, r => r.Name == First);
            Assert.Equal((true, Convert.ToHexString(Atr.AsSpan()), ReaderStateNames.Verdict, (string?)null), (reader.CardPresent, reader.Atr, reader.State, reader.Error));
            Assert.Equal("compatible", reader.Report!.Verdict);
            Assert.Equal("rsa2048-full", Assert.Single(reader.Report.Tokens).Label);
            Assert.Equal(Json(verdict.State!.Report!), Json(reader.Report)); // the stream and the API: one verdict
            var second = Assert.Single(readers, r => r.Name == VirtualReader.Second.Name);
            Assert.Equal((false, (string?)null, ReaderStateNames.Empty, (TokenReport?)null), (second.CardPresent, second.Atr, second.State, second.Report));

            // POST /api/check probes the card again: a second verdict, and two checks in the history.
            using (var recheck = await _http.PostAsync(new Uri(serve.BaseAddress, "api/check?reader=" + Uri.EscapeDataString(First)), null))
            {
                Assert.Equal(HttpStatusCode.Accepted, recheck.StatusCode);
            }

            var again = await NextAsync(events.Reader, Atr, WatchEventTypes.Verdict, Verdict);
            Assert.Equal(Json(verdict.State!.Report! with { GeneratedAt = default }), Json(again.State!.Report! with { GeneratedAt = default }));
            var history = await GetAsync(serve, "api/history", ContractsJsonContext.Default.IReadOnlyListCheckHistoryEntry);
            Assert.Equal(2, history.Count(h => h is { State: ReaderStateNames.Verdict, Verdict: "compatible", TokenLabel: "rsa2048-full" } && h.Reader == First));
            Assert.Equal(HttpStatusCode.NotFound, await PostStatusAsync(serve, "api/check?reader=no-such-reader"));
            Assert.Equal(HttpStatusCode.Conflict, await PostStatusAsync(serve, "api/check?reader=" + Uri.EscapeDataString(VirtualReader.Second.Name)));

            await card.DisposeAsync();
            var removed = await NextAsync(events.Reader, Atr, WatchEventTypes.CardRemoved, CardEvent);
            Assert.Equal(ReaderStateNames.Empty, removed.State!.State);
            var after = await GetAsync(serve, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry);
            Assert.Equal((false, (TokenReport?)null), (after.Single(r => r.Name == First).CardPresent, after.Single(r => r.Name == First).Report));

            await stream.CancelAsync();
            await reading;
            Assert.Equal(0, await serve.StopAsync());

            // Console exporter: the probe spans with their attributes, and the metrics flushed at shutdown.
            var stdout = serve.Stdout;
            Assert.Contains("Activity.DisplayName:        probe " + First, stdout);
            Assert.Contains("tokenservice.reader: " + First, stdout);
            Assert.Contains("tokenservice.token.label: rsa2048-full", stdout);
            Assert.Contains("tokenservice.verdict: compatible", stdout);
            Assert.Contains("tokenservice.probe.status: verdict", stdout);
            Assert.Contains("tokenservice.checks", stdout);
            Assert.Contains("tokenservice.probe.duration", stdout);
            Assert.DoesNotContain(pin, stdout);
            Assert.DoesNotContain(pin, serve.Stderr);
        }
        finally
        {
            output.WriteLine("serve stdout:\n" + serve.Stdout + "\nserve stderr:\n" + serve.Stderr);
        }
    }

    [Fact]
    public async Task Serve_WithOtelExporterOtlpEndpoint_SendsTheProbeSpanAndMetricsOverOtlp_WithoutThePin()
    {
        var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
        using var collector = new OtlpReceiver();
        await using var serve = ServeProcess.Start(
            ["--bindings", BindingsFile],
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false",
            });
        await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
        await WaitForReadersAsync(serve);

        await using (var card = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while ((await GetAsync(serve, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry))
                   .Single(r => r.Name == First) is not { State: ReaderStateNames.Verdict, Atr: var atr } || atr != Convert.ToHexString(Atr.AsSpan()))
            {
                Assert.True(clock.Elapsed < Verdict, "no verdict for the card within " + Verdict);
                await Task.Delay(100);
            }
        }

        Assert.Equal(0, await serve.StopAsync()); // stopping flushes both signals

        var traces = collector.Text("/v1/traces");
        Assert.Contains("probe " + First, traces);
        Assert.Contains("tokenservice.reader", traces);
        Assert.Contains("tokenservice.verdict", traces);
        Assert.Contains("compatible", traces);
        var metrics = collector.Text("/v1/metrics");
        Assert.Contains("tokenservice.checks", metrics);
        Assert.Contains("tokenservice.probe.duration", metrics);
        Assert.DoesNotContain(pin, traces + metrics);
        Assert.DoesNotContain("Activity.DisplayName", serve.Stdout); // console export off
    }

    [Fact]
    public async Task Serve_WithAnApiKey_RefusesRequestsWithoutIt()
    {
        const string key = "test-api-key-0123456789";
        await using var serve = ServeProcess.Start(
            ["--bindings", BindingsFile], new Dictionary<string, string> { ["TOKENSERVICE__SERVE__APIKEY"] = key, ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false" });
        _http.DefaultRequestHeaders.Add("X-Api-Key", key);
        await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);

        using var anonymous = new HttpClient();
        using var without = await anonymous.GetAsync(new Uri(serve.BaseAddress, "api/readers"));
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.BaseAddress, "api/history"));
        wrongRequest.Headers.Add("X-Api-Key", key + "x");
        using var wrong = await anonymous.SendAsync(wrongRequest);
        using var with = await _http.GetAsync(new Uri(serve.BaseAddress, "api/history"));

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Equal(0, await serve.StopAsync());
        Assert.DoesNotContain(key, serve.Stdout + serve.Stderr);
    }

    [Fact]
    public async Task Serve_OnANonLoopbackAddressWithoutAnApiKey_RefusesToStart()
    {
        await using var serve = ServeProcess.Start(["--bindings", BindingsFile], listen: "0.0.0.0:5077");

        Assert.Equal(78, await serve.WaitForExitAsync(Startup));
        Assert.Contains("needs an API key", serve.Stderr);
        Assert.Contains("TOKENSERVICE__SERVE__APIKEY", serve.Stderr);
        Assert.DoesNotContain("   at ", serve.Stderr); // one line, no stack trace
    }

    private Task<T> GetAsync<T>(ServeProcess serve, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        serve.GetAsync(_http, path, type);

    private async Task<HttpStatusCode> PostStatusAsync(ServeProcess serve, string path)
    {
        using var response = await _http.PostAsync(new Uri(serve.BaseAddress, path), null);
        return response.StatusCode;
    }

    private Task WaitForReadersAsync(ServeProcess serve) => serve.WaitForReadersAsync(_http, CardEvent);

    private Task ReadEventsAsync(ServeProcess serve, ChannelWriter<WatchEventEntry> events, CancellationToken cancellationToken) =>
        serve.ReadEventsAsync(_http, events, cancellationToken);

    private static Task<WatchEventEntry> NextAsync(ChannelReader<WatchEventEntry> events, ImmutableArray<byte> atr, string type, TimeSpan timeout) =>
        ServeProcess.NextEventAsync(events, First, type, timeout, entry => AboutCard(entry, atr));

    private static string Json(TokenReport report) => JsonSerializer.Serialize(report, ContractsJsonContext.Default.TokenReport);
}
