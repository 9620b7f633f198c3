using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// A real Prometheus (Debian's `prometheus` package) on a free loopback port with its own data folder, scraping one
/// target every second; queried through its HTTP API (/api/v1/query).
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "tokenservice";
    private const string Executable = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (HOST:PORT) at /metrics every second.</summary>
    public static PrometheusServer Start(string target)
    {
        Assert.True(File.Exists(Executable), $"{Executable} not found: install Debian's prometheus package (eng/install-deps.sh does)");
        var folder = Path.Combine(Path.GetTempPath(), "tokenservice-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: {Job}
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = ServeProcess.FreePort();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, folder, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>An instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        Assert.False(_process.HasExited, "prometheus exited:\n" + Output);
        var json = await _http.GetStringAsync(new Uri(BaseAddress, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("success", root.GetProperty("status").GetString());
        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>
    /// Polls <paramref name="promql"/> (a <c>sum by (LABEL)</c>) until it answers <paramref name="expected"/> (label
    /// value → value, series not listed absent or 0), or fails with the last answer.
    /// </summary>
    public async Task WaitForAsync(string promql, string label, IReadOnlyDictionary<string, double> expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                var result = await QueryAsync(promql);
                var actual = result.Where(r => r.Value != 0).ToDictionary(r => r.Labels.GetValueOrDefault(label, ""), r => r.Value);
                last = string.Join(", ", actual.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
                if (actual.Count == expected.Count(e => e.Value != 0) && expected.All(e => e.Value == 0 ? !actual.ContainsKey(e.Key) : actual.GetValueOrDefault(e.Key) == e.Value))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                last = "(prometheus not answering yet)";
            }

            await Task.Delay(250);
        }

        Assert.Fail($"prometheus: {promql} did not become {string.Join(", ", expected.Select(e => $"{e.Key}={e.Value}"))} within {timeout}; last: {last}\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
