using System.Net.Security;
using System.Net.Sockets;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>
/// A real .NET SslStream server on 127.0.0.1 (OpenSSL underneath on Linux) that runs one handshake per connection
/// and records how each ended. Stopped, with every wait bounded, on Dispose.
/// </summary>
internal sealed class DotNetTlsServer : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly SslServerAuthenticationOptions options;
    private readonly List<string> outcomes = [];
    private readonly LoopbackAcceptor acceptor;

    public DotNetTlsServer(SslServerAuthenticationOptions options)
    {
        this.options = options;
        acceptor = new LoopbackAcceptor(HandshakeAsync);
    }

    public int Port => acceptor.Port;

    /// <summary>How each handshake ended, for failure messages.</summary>
    public string Outcomes
    {
        get
        {
            lock (outcomes)
            {
                return string.Join(Environment.NewLine, outcomes);
            }
        }
    }

    public ValueTask DisposeAsync() => acceptor.DisposeAsync();

    private async Task HandshakeAsync(TcpClient client, CancellationToken stopping)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            timeout.CancelAfter(HandshakeTimeout);
            var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await using (ssl)
            {
                string outcome;
                try
                {
                    await ssl.AuthenticateAsServerAsync(options, timeout.Token);
                    outcome = $"completed {ssl.SslProtocol}, client certificate: {ssl.RemoteCertificate?.Subject ?? "none"}";
                }
                catch (Exception e)
                {
                    // Any way a handshake ends is an outcome to record; the server must go on accepting.
                    outcome = $"failed: {e.GetType().Name}: {e.Message}";
                }

                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }
            }
        }
    }
}
