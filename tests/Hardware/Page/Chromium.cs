using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using TokenService.Tests.Hardware.Tools;

namespace TokenService.Tests.Hardware.Page;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the Chrome DevTools Protocol
/// (https://chromedevtools.github.io/devtools-protocol/) with a plain WebSocket: a fresh profile per instance,
/// <c>--remote-debugging-port=0</c> and the port read back from the profile's <c>DevToolsActivePort</c> file.
/// Nothing is downloaded; the browser is the system one.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<long, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _stderr = new();
    private Task _receiving = Task.CompletedTask;
    private long _ids;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Every protocol event (method, params, session), for <see cref="BrowserPage"/> to read its own.</summary>
    public Channel<(string Method, JsonObject Params, string? Session)> Events { get; } = Channel.CreateUnbounded<(string, JsonObject, string?)>();

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

    public static async Task<Chromium> StartAsync()
    {
        ExternalTool.RequireFile(Executable, "chromium");
        var profile = Directory.CreateTempSubdirectory("tokenservice-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Executable);
        var browser = new Chromium(process, profile);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (browser._stderr)
            {
                browser._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }

        return browser;
    }

    /// <summary>One protocol call; the result, or an exception with the protocol's error.</summary>
    public async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null, string? session = null)
    {
        var id = Interlocked.Increment(ref _ids);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[id] = answer;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        try
        {
            return await answer.Task.WaitAsync(CallBound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools {method} did not answer within {CallBound}; chromium stderr:\n{Stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash helper still writing: the temp folder is left for the OS to clean.
        }
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        string[] lines = [];
        while (lines.Length < 2)
        {
            if (_process.HasExited || clock.Elapsed > StartBound)
            {
                throw new InvalidOperationException($"chromium wrote no {portFile} within {StartBound} (exited: {_process.HasExited}); stderr:\n{Stderr}");
            }

            await Task.Delay(50);
            if (File.Exists(portFile))
            {
                lines = (await File.ReadAllLinesAsync(portFile)).Where(l => l.Length > 0).ToArray();
            }
        }

        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), _stop.Token);
        _receiving = Task.Run(ReceiveAsync);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested)
        {
            var read = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, read.Count);
            if (!read.EndOfMessage)
            {
                continue;
            }

            var json = JsonNode.Parse(message.ToArray())!.AsObject();
            message.SetLength(0);
            if (json["id"] is { } id)
            {
                TaskCompletionSource<JsonObject>? answer;
                lock (_gate)
                {
                    _pending.Remove(id.GetValue<long>(), out answer);
                }

                if (json["error"] is { } error)
                {
                    answer?.TrySetException(new InvalidOperationException("DevTools error: " + error.ToJsonString()));
                }
                else
                {
                    answer?.TrySetResult(json["result"]?.AsObject() ?? []);
                }
            }
            else if (json["method"] is { } method)
            {
                Events.Writer.TryWrite((method.GetValue<string>(), json["params"]?.AsObject() ?? [], json["sessionId"]?.GetValue<string>()));
            }
        }
    }
}
