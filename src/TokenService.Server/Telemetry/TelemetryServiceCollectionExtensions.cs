using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
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

    /// <summary>
    /// <see cref="TokenServiceInstrumentation"/> (the card watcher's <see cref="IWatcherObserver"/>) and the OpenTelemetry pipeline (<paramref name="configuration"/>: the
    /// TokenService section) for its source and meter: to the
    /// console unless <see cref="ConsoleKey"/> is false, and over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddTokenServiceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new TokenServiceInstrumentation(
            sp.GetService<ReaderStateStore>() is { } store ? store.Counts : static () => (0, 0),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IWatcherObserver>(sp => sp.GetRequiredService<TokenServiceInstrumentation>());

        var console = configuration.GetValue(ConsoleKey, true);
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        if (!console && !otlp)
        {
            return services; // nobody listens: spans are not even created
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tokenservice"))
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
        return services;
    }
}
