using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenService.Api;
using TokenService.Hosting;
using TokenService.Page;
using TokenService.Telemetry;

namespace TokenService.Cli;

/// <summary>`serve`: the card watcher headless, with the HTTP API for the fleet, under systemd when started by it.</summary>
internal static class ServeCommand
{
    internal sealed record Options(string? Listen, string? Bindings, bool P11Kit = false);

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = WatcherServices.HostArguments });
        if (options.Listen is not null)
        {
            builder.Configuration.AddInMemoryCollection([new($"{WatcherServices.Root}:{ServeOptions.Section}:Listen", options.Listen)]);
        }

        WatcherRun.UseP11Kit(builder.Configuration, options.P11Kit);
        await WatcherRun.PrepareAsync(builder.Configuration, options.Bindings, cancellationToken);
        builder.Services.AddSystemd();
        builder.Services.AddWatcher(builder.Configuration);
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddReaderApi(builder.Configuration.GetSection(WatcherServices.Root));

        // Log lines name readers, ATRs and token labels: the console gets them escaped (issue 9 §1). Last, so that
        // nothing adds the raw console logger after it.
        builder.Logging.AddTerminalSafeConsole();

        return await WatcherRun.RunAsync(() => builder.Build().MapReaderApi().MapPrometheusMetrics().MapPage(), cancellationToken);
    }
}
