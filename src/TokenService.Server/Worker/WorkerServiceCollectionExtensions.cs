using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Drivers.Pcsc;

namespace TokenService.Worker;

internal static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The card watcher: <see cref="ReaderMonitor"/> on the platform's PC/SC service, <see cref="ReaderStateStore"/>
    /// and the hosted <see cref="CardWorker"/>, with <see cref="WorkerOptions"/> from <c>TokenService:Worker</c>
    /// validated at start. It needs an <see cref="Locating.ITokenLocator"/> and an <see cref="Probing.ITokenProber"/>
    /// (AddProbing) and <see cref="Telemetry.TokenServiceInstrumentation"/> (AddTokenServiceTelemetry).
    /// </summary>
    public static IServiceCollection AddCardWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>()
            .Bind(configuration.GetSection(WorkerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => PcscApi.ForCurrentPlatform());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return new ReaderMonitor(
                sp.GetRequiredService<IPcscApi>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ReaderMonitor>>(),
                new ReaderMonitorOptions { ReconnectDelay = options.ReconnectDelay, MaxReconnectDelay = options.MaxReconnectDelay });
        });
        services.TryAddSingleton<ReaderStateStore>();
        services.TryAddSingleton<CardWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<CardWorker>());
        return services;
    }
}
