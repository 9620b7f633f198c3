using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using TokenService.Contracts;
using Xunit;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>`tokenservice serve` as a child process (this build's tokenservice.dll) on a free loopback port, its output captured.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <param name="listen">--listen (default: 127.0.0.1 on a free port).</param>
    public static ServeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? listen = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "tokenservice.dll"), "serve", "--listen", listen ?? $"127.0.0.1:{port}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // A JIT probe host starting on a loaded 2-core machine takes seconds.
        start.Environment["TOKENSERVICE__PROBING__STARTTIMEOUT"] = "00:01:00";
        start.Environment["TOKENSERVICE__PROBING__TIMEOUT"] = "00:01:00";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tokenservice serve");
        var serve = new ServeProcess(process, port);
        process.OutputDataReceived += (_, e) => Append(serve._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(serve._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return serve;
    }

    /// <summary>Polls until the API answers <paramref name="path"/> with success, or fails with the process's output.</summary>
    public async Task WaitUntilAnsweringAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            Assert.False(_process.HasExited, $"serve exited with {(_process.HasExited ? _process.ExitCode : 0)} before answering.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, path));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"serve did not answer {path} within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    /// <summary>GET <paramref name="path"/>, read as <paramref name="type"/>.</summary>
    public async Task<T> GetAsync<T>(HttpClient client, string path, JsonTypeInfo<T> type)
    {
        var json = await client.GetStringAsync(new Uri(BaseAddress, path));
        return JsonSerializer.Deserialize(json, type)!;
    }

    /// <summary>Polls GET /api/readers until it lists both vpcd readers.</summary>
    public async Task WaitForReadersAsync(HttpClient client, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((await GetAsync(client, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)).Count < 2)
        {
            Assert.True(clock.Elapsed < timeout, "serve did not list both virtual readers");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads GET /api/events into <paramref name="events"/> until cancelled: the SSE event name must be the entry's type.</summary>
    public async Task ReadEventsAsync(HttpClient client, ChannelWriter<WatchEventEntry> events, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(BaseAddress, "api/events"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            {
                var entry = JsonSerializer.Deserialize(item.Data, ContractsJsonContext.Default.WatchEventEntry)!;
                Assert.Equal(entry.Type, item.EventType);
                events.TryWrite(entry);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            events.TryComplete();
        }
    }

    /// <summary>The next event of <paramref name="type"/> about <paramref name="reader"/> that is <paramref name="wanted"/>; others are passed over.</summary>
    public static async Task<WatchEventEntry> NextEventAsync(ChannelReader<WatchEventEntry> events, string reader, string type, TimeSpan timeout, Func<WatchEventEntry, bool> wanted)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var entry = await events.ReadAsync(deadline.Token);
                seen.Add($"{entry.Type}({entry.ReaderName}, {entry.State?.State})");
                if (entry.Type == type && entry.ReaderName == reader && wanted(entry))
                {
                    return entry;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no {type} event for {reader} on /api/events within {timeout}; seen: {string.Join(", ", seen)}");
        }
    }

    /// <summary>SIGTERM (what systemd sends), then the exit code once it has stopped.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(ExitBound);
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"serve did not exit within {bound}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit(); // the end of the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    /// <summary>A loopback port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
