using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenService.Locating;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Worker;

namespace TokenService.Hosting;

/// <summary>What `watch`, `serve` and `bench-watch` share: the card watcher and everything it needs.</summary>
internal static class WatcherServices
{
    /// <summary>
    /// The configuration section every TokenService setting lives in: appsettings.json <c>"TokenService": { ... }</c>,
    /// or environment variables <c>TOKENSERVICE__SECTION__KEY</c> (e.g. TOKENSERVICE__SERVE__LISTEN).
    /// </summary>
    public const string Root = "TokenService";

    /// <summary>Where the bench bindings file is configured (the locator's <c>Locating:BindingsFile</c>).</summary>
    public const string BindingsFileKey = Root + ":Locating:BindingsFile";

    /// <summary>Where a real deployment names its p11-kit module (the locator's <c>Locating:P11KitModule</c>).</summary>
    public const string P11KitModuleKey = Root + ":Locating:P11KitModule";

    /// <summary>
    /// Arguments for the host builders: configuration is read once, at start (options are validated then), so the
    /// content root is not watched for changes. Watching it costs a thread that wakes on every change in the
    /// working directory: 110 ms of CPU a minute measured idle in a busy /tmp.
    /// </summary>
    public static readonly string[] HostArguments = ["--hostBuilder:reloadConfigOnChange=false"];

    public static IServiceCollection AddWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(Root);
        return services
            .AddTokenServiceTelemetry(settings)
            .AddLocating(settings)
            .AddProbing(settings)
            .AddCardWorker(settings);
    }

    /// <summary>
    /// Settles which bindings the locator reads: <paramref name="bindingsFile"/> (--bindings) when given; else what
    /// the configuration names (a bindings file or a p11-kit module); else the embedded demo bench
    /// (<see cref="DemoBench"/>), provisioned if missing. Adds the choice to <paramref name="configuration"/>.
    /// </summary>
    /// <exception cref="DemoBenchException">The demo bench was needed and cannot be set up.</exception>
    public static async Task PrepareAsync(IConfigurationManager configuration, string? bindingsFile, TextWriter progress, CancellationToken cancellationToken)
    {
        string? chosen = null;
        if (bindingsFile is not null)
        {
            chosen = Path.GetFullPath(bindingsFile);
        }
        else if (string.IsNullOrEmpty(configuration[BindingsFileKey]) && string.IsNullOrEmpty(configuration[P11KitModuleKey]))
        {
            chosen = await DemoBench.PrepareAsync(progress, cancellationToken);
        }

        if (chosen is not null)
        {
            configuration.AddInMemoryCollection([new(BindingsFileKey, chosen)]);
        }
    }
}
