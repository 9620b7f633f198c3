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
    /// and the hosted <see cref="CardWorker"/>, with <see cref="WorkerOptions"/> and <see cref="ReaderMonitorOptions"/>
    /// from <c>TokenService:Worker</c> validated at start. It needs an <see cref="Locating.ITokenLocator"/> and an
    /// <see cref="Probing.ITokenProber"/> (AddProbing) and an <see cref="IWatcherObserver"/> (AddTokenServiceTelemetry).
    /// </summary>
    public static IServiceCollection AddCardWorker(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(WorkerOptions.Section);
        services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>().Bind(section);
        services.AddOptionsWithValidateOnStart<ReaderMonitorOptions, ReaderMonitorOptionsValidator>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => PcscApi.ForCurrentPlatform());
        services.TryAddSingleton(sp => new ReaderMonitor(
            sp.GetRequiredService<IPcscApi>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReaderMonitor>>(),
            sp.GetRequiredService<IOptions<ReaderMonitorOptions>>().Value));
        services.TryAddSingleton<ReaderStateStore>();
        services.TryAddSingleton<CardWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<CardWorker>());
        return services;
    }
}
