using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>
/// A real `openssl s_server` on 127.0.0.1 and a free port, killed on Dispose. Its standard input stays open, since
/// s_server quits at end of input.
/// </summary>
internal sealed class OpenSslServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process process;
    private readonly StringBuilder output = new();

    private OpenSslServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts `openssl s_server -accept 127.0.0.1:PORT -cert ... -key ... extra...` and waits for ACCEPT.</summary>
    public static OpenSslServer Start(TestPki pki, params string[] extra) => Start(pki.ServerCertificate, pki.ServerKey, extra);

    /// <summary>As <see cref="Start(TestPki, string[])"/>, with the server certificate and key given.</summary>
    public static OpenSslServer Start(string certificate, string key, params string[] extra)
    {
        // The port is picked by binding first; another process may grab it in between, so try a few times.
        InvalidOperationException? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return TryStart(certificate, key, FreeLoopbackPort(), extra);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("exited", StringComparison.Ordinal))
            {
                last = e;
            }
        }

        throw last!;
    }

    /// <summary>Waits for the server to end by itself (-naccept 1 ends it after one connection); false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static OpenSslServer TryStart(string certificate, string key, int port, string[] extra)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "s_server", "-accept", $"127.0.0.1:{port}", "-cert", certificate, "-key", key }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("openssl s_server did not start");
        var server = new OpenSslServer(process, port);
        var accepting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server.output)
            {
                server.output.AppendLine(e.Data);
            }

            if (e.Data == "ACCEPT")
            {
                accepting.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = Task.WhenAny(accepting.Task, exited, Task.Delay(StartTimeout)).GetAwaiter().GetResult();
        if (first == accepting.Task)
        {
            return server;
        }

        var why = first == exited ? "exited" : $"did not print ACCEPT within {StartTimeout}";
        var text = server.Output;
        server.Dispose();
        throw new InvalidOperationException($"openssl s_server {string.Join(' ', extra)} {why}: {text}");
    }

    /// <summary>A port on 127.0.0.1 that nothing listened on a moment ago (the kernel's choice).</summary>
    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
