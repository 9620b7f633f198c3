using System.Net;
using System.Net.Sockets;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>
/// Listens on 127.0.0.1 and a free port and hands each connection, one at a time, to a handler. Stops, with the
/// wait bounded, on Dispose.
/// </summary>
internal sealed class LoopbackAcceptor : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<TcpClient, CancellationToken, Task> handle;
    private readonly Task acceptLoop;

    public LoopbackAcceptor(Func<TcpClient, CancellationToken, Task> handle)
    {
        this.handle = handle;
        listener.Start();
        acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await acceptLoop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // One at a time, like the probe's connections.
            using (client)
            {
                await handle(client, stopping.Token);
            }
        }
    }
}
