using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenService.Api;
using TokenService.Drivers.Pcsc;
using TokenService.Hosting;
using TokenService.Locating;
using TokenService.Page;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Tests.Unit.Drivers.Pcsc;
using TokenService.Worker;

namespace TokenService.Tests.Unit.Api;

/// <summary>
/// `serve`'s HTTP API for real (Kestrel on 127.0.0.1, a free port, the same AddReaderApi/MapReaderApi and the real
/// card worker) over a fake PC/SC service: one reader with a card that no binding matches, so that
/// POST /api/check has something to re-check and no probe ever runs.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    public const string Reader = "Reader A";

    private readonly WebApplication _app;

    private ApiServer(WebApplication app, int port, bool https)
    {
        _app = app;
        Port = port;
        BaseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <param name="serve">Settings under TokenService:Serve (Listen defaults to 127.0.0.1 and a free port).</param>
    public static async Task<ApiServer> StartAsync(IReadOnlyDictionary<string, string?>? serve = null)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string?>
        {
            [$"{WatcherServices.Root}:{ServeOptions.Section}:Listen"] = $"127.0.0.1:{port}",
            [$"{WatcherServices.Root}:Telemetry:Console"] = "false",
        };
        foreach (var (key, value) in serve ?? new Dictionary<string, string?>())
        {
            settings[$"{WatcherServices.Root}:{ServeOptions.Section}:{key}"] = value;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = WatcherServices.HostArguments });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var pcsc = new FakePcscApi();
        pcsc.SetReader(Reader, [0x3B, 0x02, 0x14, 0x50]);
        builder.Services.AddSingleton<IPcscApi>(pcsc);
        builder.Services.AddSingleton<ITokenLocator, NoBindings>();
        builder.Services.AddSingleton<ITokenProber, NoProbes>();
        var section = builder.Configuration.GetSection(WatcherServices.Root);
        builder.Services.AddTokenServiceTelemetry(section).AddCardWorker(section).AddReaderApi(section).AddPrometheusMetrics();

        var app = builder.Build().MapReaderApi().MapPrometheusMetrics().MapPage();
        await app.StartAsync();
        var server = new ApiServer(app, port, settings.ContainsKey($"{WatcherServices.Root}:{ServeOptions.Section}:CertificateFile"));
        await server.WaitForReaderAsync(app.Services.GetRequiredService<ReaderStateStore>());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task WaitForReaderAsync(ReaderStateStore store)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (store.Reader(Reader) is not { CardPresent: true })
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class NoBindings : ITokenLocator
    {
        public ProbeTarget? Locate(string reader, ImmutableArray<byte> atr) => null;
    }

    private sealed class NoProbes : ITokenProber
    {
        public Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no binding matches, so nothing is probed");
    }
}
