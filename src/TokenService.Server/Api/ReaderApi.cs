using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Contracts;
using TokenService.Worker;

namespace TokenService.Api;

/// <summary>
/// The fleet's HTTP API over the watcher: <c>GET /api/readers</c>, <c>GET /api/history</c>, <c>GET /api/events</c>
/// (server-sent events), <c>GET /api/status</c>, <c>POST /api/check?reader=NAME</c> and, with an API key, the page's
/// <c>POST</c>/<c>DELETE /api/session</c> (<see cref="SessionEndpoints"/>). JSON through the source-generated
/// <see cref="ContractsJsonContext"/> (no reflection, NativeAOT-safe), compact.
/// </summary>
internal static class ReaderApi
{
    public const string Prefix = "/api";

    /// <summary><see cref="ServeOptions"/> validated at start, the JSON contracts, and Kestrel on <see cref="ServeOptions.Listen"/>.</summary>
    public static IServiceCollection AddReaderApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<ServeOptions, ServeOptionsValidator>()
            .Bind(configuration.GetSection(ServeOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PageSessions>();
        services.AddProblemDetails(); // RFC 9457 error bodies, with their source-generated JSON
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default);
            json.SerializerOptions.WriteIndented = false;
        });
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<ServeOptions>>((kestrel, serve) =>
            {
                // An invalid value is reported by ServeOptionsValidator when the host starts.
                if (!ListenAddress.TryParse(serve.Value.Listen, out var listen))
                {
                    return;
                }

                // Loaded again here (the validator loaded it once to check it); Kestrel keeps this one.
                Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> tls = serve.Value.CertificateFile is { } certificate
                    ? endpoint => endpoint.UseHttps(ServeCertificate.Load(certificate, serve.Value.KeyFile))
                    : static _ => { };
                if (listen.Host == "localhost")
                {
                    kestrel.ListenLocalhost(listen.Port, tls);
                }
                else if (listen.Address is { } address)
                {
                    kestrel.Listen(address, listen.Port, tls);
                }
                else
                {
                    kestrel.ListenAnyIP(listen.Port, tls);
                }
            });
        return services;
    }

    public static WebApplication MapReaderApi(this WebApplication app)
    {
        var serve = app.Services.GetRequiredService<IOptions<ServeOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReaderApi).FullName!);
        app.UseRequestGuard(serve, logger);

        var api = app.MapGroup(Prefix);
        api.MapGet("/readers", (ReaderStateStore store) => store.Readers());
        api.MapGet("/history", (ReaderStateStore store) => store.History());
        api.MapGet("/status", (ReaderStateStore store) => store.ServiceLostReason is { } reason
            ? new ServiceStatusEntry { Pcscd = "lost", Reason = reason }
            : new ServiceStatusEntry { Pcscd = "ok" });
        api.MapGet("/events", (ReaderStateStore store, HttpContext context) =>
            TypedResults.ServerSentEvents(EventsAsync(store, logger, context, app.Lifetime.ApplicationStopping, context.RequestAborted)));
        api.MapPost("/check", (string reader, CardWorker worker) => worker.RequestRecheck(reader) switch
        {
            RecheckResult.Accepted => Results.Accepted($"/api/readers"),
            RecheckResult.NoSuchReader => Results.Problem($"no reader named '{reader}'", statusCode: StatusCodes.Status404NotFound),
            RecheckResult.NoCard => Results.Problem($"no card in '{reader}'", statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem("the watcher is stopping", statusCode: StatusCodes.Status503ServiceUnavailable),
        });

        if (serve.ApiKey is { } configured)
        {
            api.MapPageSessions(new ApiKey(configured), app.Services.GetRequiredService<PageSessions>(), logger);
        }

        var https = serve.CertificateFile is not null;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Log.Listening(logger, https ? "https" : "http", serve.Listen, serve.ApiKey is null ? " (no API key: loopback only)" : $" ({ApiKey.Header} required)");
            if (serve.ApiKey is not null && !https && ListenAddress.TryParse(serve.Listen, out var listen) && !listen.IsLoopback)
            {
                Log.KeyInClear(logger, serve.Listen);
            }
        });
        return app;
    }

    /// <summary>
    /// One SSE event per watcher event, named after its type; when this client fell too far behind, an
    /// <c>events-dropped</c> event says how many it lost (the sequence numbers show where). The stream ends when the
    /// client leaves or the service stops: a browser left open must not hold up a stop (Kestrel would wait for the
    /// request until its shutdown timeout).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<WatchEventEntry>> EventsAsync(
        ReaderStateStore store, ILogger logger, HttpContext context, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString();
        using var subscription = store.Subscribe();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);

        // Send the headers now: a browser's EventSource reports "open" only then, and an idle bench may have no
        // event for hours. Subscribed first, so that nothing after this point is missed.
        await context.Response.Body.FlushAsync(ended.Token);
        long reported = 0;
        var events = subscription.Events;
        while (await WaitForEventsAsync(events, ended.Token))
        {
            while (events.TryRead(out var entry))
            {
                if (subscription.Dropped is var dropped && dropped != reported)
                {
                    Log.EventsDropped(logger, remote, dropped - reported);
                    var lost = new WatchEvent { Type = WatchEventType.EventsDropped, Reason = (dropped - reported).ToString(System.Globalization.CultureInfo.InvariantCulture), At = entry.At };
                    yield return new SseItem<WatchEventEntry>(lost.ToEntry(), lost.Type.Name());
                    reported = dropped;
                }

                // The contract edge: the typed event becomes the entry with its kebab-case name (WatchContractNames).
                var contract = entry.ToEntry();
                yield return new SseItem<WatchEventEntry>(contract, contract.Type) { EventId = entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
        }
    }

    /// <summary>False once the stream is over (client gone, service stopping, subscription closed).</summary>
    private static async Task<bool> WaitForEventsAsync(System.Threading.Channels.ChannelReader<WatchEvent> events, CancellationToken ended)
    {
        try
        {
            return await events.WaitToReadAsync(ended);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
