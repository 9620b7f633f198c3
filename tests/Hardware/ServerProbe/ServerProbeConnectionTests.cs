using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;
using Xunit.Abstractions;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>The probe against endpoints that are not TLS servers: nothing listening, silence, a non-TLS answer.</summary>
public sealed class ServerProbeConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProbeAsync_NothingListening_ReportsConnectionRefusedForBothVersions()
    {
        var port = OpenSslServer.FreeLoopbackPort();

        var result = await Probe.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), CancellationToken.None);

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            Assert.False(version.Accepted);
            Assert.False(version.RequestsCertificate);
            Assert.Equal("connection refused", version.Error);
        }
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverAnswers_TimesOutPerVersionWithinTheBound()
    {
        using var silent = new SilentServer();
        var stopwatch = Stopwatch.StartNew();

        var result = await Probe.ProbeAsync("127.0.0.1", silent.Port, TimeSpan.FromSeconds(1), CancellationToken.None);

        stopwatch.Stop();
        output.WriteLine($"{result} in {stopwatch.Elapsed}");
        Assert.Equal("timed out after 1 s in the TLS 1.3 handshake", result.Tls13.Error);
        Assert.Equal("timed out after 1 s in the TLS 1.2 handshake", result.Tls12.Error);
        Assert.False(result.Tls13.Accepted);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task ProbeAsync_CancelledWhileServerIsSilent_ThrowsOperationCanceledPromptly()
    {
        using var silent = new SilentServer();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Probe.ProbeAsync("127.0.0.1", silent.Port, TimeSpan.FromSeconds(30), cancellation.Token));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ProbeAsync_ServerAnswersPlainText_ReportsAFailedHandshakeNotAccepted()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var answering = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                await client.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), stop.Token);
            }
        });

        var result = await Probe.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), CancellationToken.None);
        await answering.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine(result.ToString());

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            Assert.False(version.Accepted);
            Assert.False(version.RequestsCertificate);
            Assert.NotNull(version.Error);
            Assert.Contains("handshake failed", version.Error);
        }
    }

    /// <summary>Accepts TCP connections (the kernel completes them from the backlog) and never says a word.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);

        public SilentServer() => listener.Start();

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public void Dispose() => listener.Dispose();
    }
}
