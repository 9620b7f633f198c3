using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;
using static TokenService.Tests.Hardware.Worker.WatcherBench;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// The fleet's numbers (issue 11 §2): a real Prometheus scrapes `serve`'s /metrics while vpcd cards of two profiles
/// come and go, and answers `sum by (verdict)` with the counts; the same run sends one OTLP log record per check.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class MetricsTests(PcscdFixture pcscd, ProfilesFixture profiles, ITestOutputHelper output)
    : IClassFixture<ProfilesFixture>, IAsyncLifetime
{
    private const string Verdict = "tokenservice_verdict";
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Scraped = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { "X-TokenService", "1" } } };

    public Task InitializeAsync() => WatcherBench.PrepareAsync(pcscd, profiles);

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_ScrapedByPrometheus_CountsCardsAndChecksByVerdict_AndLogsOneOtlpRecordPerCheck()
    {
        var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
        using var collector = new OtlpReceiver();
        await using var serve = ServeProcess.Start(
            ["--bindings", WatcherBench.BindingsFile(profiles)],
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false",
            });
        await using var prometheus = PrometheusServer.Start($"127.0.0.1:{serve.Port}");
        try
        {
            await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
            await prometheus.WaitForAsync($"sum by (job) (up{{job=\"{PrometheusServer.Job}\"}})", "job", new Dictionary<string, double> { [PrometheusServer.Job] = 1 }, Scraped);

            // reader 00 → rsa2048-full (compatible), reader 01 → rsa-pkcs1-only (client-dependent: OpenSSL+libp11 and GnuTLS fail both versions): WatcherBench's bindings.
            await using var first = await VirtualCard.InsertAsync(VirtualReader.First, UniqueAtr(), CardEvent);
            var second = await VirtualCard.InsertAsync(VirtualReader.Second, UniqueAtr(), CardEvent);
            var reports = await WaitForVerdictsAsync(serve, 2);
            await prometheus.WaitForAsync(
                "sum by (tokenservice_verdict) (tokenservice_cards_present)", Verdict, new Dictionary<string, double> { ["compatible"] = 1, ["client-dependent"] = 1 }, Scraped);

            // A re-check of the first card and the second card pulled: three checks, one card present.
            using (var recheck = await _http.PostAsync(new Uri(serve.BaseAddress, "api/check?reader=" + Uri.EscapeDataString(First)), null))
            {
                Assert.Equal(HttpStatusCode.Accepted, recheck.StatusCode);
            }

            await WaitForHistoryAsync(serve, 3);
            await second.DisposeAsync();
            await prometheus.WaitForAsync(
                "sum by (tokenservice_verdict) (tokenservice_cards_present)", Verdict, new Dictionary<string, double> { ["compatible"] = 1, ["client-dependent"] = 0 }, Scraped);
            await prometheus.WaitForAsync(
                "sum by (tokenservice_verdict) (tokenservice_checks_total)", Verdict, new Dictionary<string, double> { ["compatible"] = 2, ["client-dependent"] = 1 }, Scraped);
            await prometheus.WaitForAsync(
                "sum by (tokenservice_card_family) (tokenservice_checks_total)", "tokenservice_card_family", new Dictionary<string, double> { ["unknown"] = 3 }, Scraped);
            await prometheus.WaitForAsync(
                "sum by (job) (tokenservice_probe_duration_seconds_count)", "job", new Dictionary<string, double> { [PrometheusServer.Job] = 3 }, Scraped);
            var slowest = await prometheus.QueryAsync("max(tokenservice_probe_duration_seconds_sum)");
            Assert.InRange(Assert.Single(slowest).Value, 0.001, 3 * 60); // seconds, not milliseconds
            var restarts = await prometheus.QueryAsync("sum(tokenservice_probe_host_restarts_total)");
            Assert.Equal(0, Assert.Single(restarts).Value);
            var reconnects = await prometheus.QueryAsync("sum(tokenservice_pcscd_reconnects_total)");
            Assert.All(reconnects, r => Assert.Equal(0, r.Value)); // pcscd stayed up: no series (a counter never added to) or 0

            // Only closed sets in labels: no reader name, token label or serial number reaches a series.
            var scrape = await _http.GetStringAsync(new Uri(serve.BaseAddress, "metrics"));
            var serials = reports.SelectMany(r => r.Tokens).Select(t => t.SerialNumber).ToArray();
            Assert.DoesNotContain("Virtual PCD", scrape);
            Assert.DoesNotContain("rsa2048-full", scrape);
            Assert.All(serials, serial => Assert.DoesNotContain(serial, scrape));

            Assert.Equal(0, await serve.StopAsync()); // stopping flushes the log records
            var logs = collector.Text("/v1/logs");
            Assert.Equal(3, Occurrences(logs, "Check finished: verdict "));
            Assert.Equal(2, Occurrences(logs, "Check finished: verdict compatible (unknown)"));
            Assert.Equal(1, Occurrences(logs, "Check finished: verdict client-dependent (unknown)"));
            foreach (var attribute in (string[])["tokenservice.verdict", "tokenservice.card.family", "tokenservice.token.model", "tokenservice.token.manufacturer",
                "tokenservice.key.type", "tokenservice.key.size", "tokenservice.tls13.capable", "tokenservice.tls12.capable", "tokenservice.cause",
                "tokenservice.token.serial_number.sha256"])
            {
                Assert.Contains(attribute, logs);
            }

            Assert.Contains("SoftHSM", logs); // token model and manufacturer
            var causes = reports.SelectMany(r => r.Tokens).SelectMany(t => t.Problems.Concat(t.Keys.SelectMany(k => k.Problems))).Select(p => p.Code).ToArray();
            Assert.NotEmpty(causes); // rsa-pkcs1-only has its TLS 1.3 problem
            Assert.All(causes, cause => Assert.Contains(cause, logs));
            Assert.All(serials, serial =>
            {
                Assert.DoesNotContain(serial, logs);
                Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serial))), logs);
            });
            Assert.DoesNotContain(pin, logs);
        }
        finally
        {
            output.WriteLine("serve stdout:\n" + serve.Stdout + "\nserve stderr:\n" + serve.Stderr + "\nprometheus:\n" + prometheus.Output);
        }
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private async Task<IReadOnlyList<TokenReport>> WaitForVerdictsAsync(ServeProcess serve, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var readers = JsonSerializer.Deserialize(await _http.GetStringAsync(new Uri(serve.BaseAddress, "api/readers")), ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)!;
            var verdicts = readers.Where(r => r.State == ReaderStateNames.Verdict).Select(r => r.Report!).ToArray();
            if (verdicts.Length == count)
            {
                return verdicts;
            }

            Assert.True(clock.Elapsed < WatcherBench.Verdict, $"no {count} verdicts within {WatcherBench.Verdict}: {string.Join(", ", readers.Select(r => r.Name + "=" + r.State))}");
            await Task.Delay(100);
        }
    }

    private async Task WaitForHistoryAsync(ServeProcess serve, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (JsonSerializer.Deserialize(await _http.GetStringAsync(new Uri(serve.BaseAddress, "api/history")), ContractsJsonContext.Default.IReadOnlyListCheckHistoryEntry)!.Count < count)
        {
            Assert.True(clock.Elapsed < WatcherBench.Verdict, $"fewer than {count} checks within {WatcherBench.Verdict}");
            await Task.Delay(100);
        }
    }
}
