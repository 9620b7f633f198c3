using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TokenService.Probing;
using TokenService.Worker;

namespace TokenService.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard variable that turns OTLP export on (OpenTelemetry specification, exporter configuration).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Write spans and metrics to standard output (console exporter): on by default for <c>serve</c>, off for
    /// <c>watch</c>, whose screen is standard output (environment: TOKENSERVICE__TELEMETRY__CONSOLE).
    /// </summary>
    public const string ConsoleKey = "Telemetry:Console";

    /// <summary>The scrape path of <see cref="AddPrometheusMetrics"/>.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// <see cref="TokenServiceInstrumentation"/> (the card watcher's <see cref="IWatcherObserver"/>) and the OpenTelemetry pipeline (<paramref name="configuration"/>: the
    /// TokenService section) for its source and meter: to the console unless <see cref="ConsoleKey"/> is false, and
    /// spans, metrics and logs (among them one <see cref="CheckRecord"/> per finished check) over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddTokenServiceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section));
        services.AddSingleton(sp =>
        {
            var store = sp.GetService<ReaderStateStore>();
            return new TokenServiceInstrumentation(
                store is null ? static () => (0, 0) : store.Counts,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                store is null ? null : store.Readers,
                sp.GetService<ITokenProber>() is OutOfProcessProber prober ? () => prober.HostRestarts : null,
                sp.GetService<ILogger<TokenServiceInstrumentation>>(),
                sp.GetRequiredService<IOptions<TelemetryOptions>>().Value);
        });
        services.AddSingleton<IWatcherObserver>(sp => sp.GetRequiredService<TokenServiceInstrumentation>());

        var console = configuration.GetValue(ConsoleKey, true);
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        if (!console && !otlp)
        {
            return services; // nobody listens: spans are not even created
        }

        services.AddOpenTelemetry()
            .ConfigureResource(ServiceResource)
            .WithTracing(tracing =>
            {
                tracing.AddSource(TokenServiceInstrumentation.Name);
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TokenServiceInstrumentation.Name);
                if (console)
                {
                    metrics.AddConsoleExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Logs of Information and above, the check records among them, as OTLP log records.
            services.AddOpenTelemetry().WithLogging(logging => logging.AddOtlpExporter(), options => options.IncludeFormattedMessage = true);
        }

        return services;
    }

    /// <summary>
    /// The meter's instruments on a Prometheus scrape endpoint (<see cref="MetricsPath"/>, mapped by
    /// <see cref="MapPrometheusMetrics"/>), whatever else is exported.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(ServiceResource)
            .WithMetrics(metrics => metrics.AddMeter(TokenServiceInstrumentation.Name).AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static void ServiceResource(ResourceBuilder resource) => resource.AddService("tokenservice");
}
