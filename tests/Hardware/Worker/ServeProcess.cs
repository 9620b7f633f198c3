using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
