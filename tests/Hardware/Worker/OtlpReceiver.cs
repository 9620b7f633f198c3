using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// A stand-in OTLP/HTTP collector on a free loopback port: it answers every POST with 200 and keeps the path and
/// body, so a test can see which signals arrived and what text (attribute keys and values) their protobuf carries.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, byte[] Body)> _requests = [];
    private readonly Task _serving;

    public OtlpReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Endpoint { get; }

    /// <summary>The paths posted to so far (e.g. /v1/traces, /v1/metrics).</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests.Select(r => r.Path)];
            }
        }
    }

    /// <summary>Everything posted to <paramref name="path"/>, as Latin-1 text (protobuf strings show through).</summary>
    public string Text(string path)
    {
        lock (_requests)
        {
            return string.Concat(_requests.Where(r => r.Path == path).Select(r => Encoding.Latin1.GetString(r.Body)));
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            lock (_requests)
            {
                _requests.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
