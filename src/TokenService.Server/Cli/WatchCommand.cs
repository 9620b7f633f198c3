using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenService.Hosting;
using TokenService.Telemetry;
using TokenService.Watch;
using TokenService.Worker;

namespace TokenService.Cli;

/// <summary>`watch`: the technician's live screen of the readers, their cards and verdicts.</summary>
internal static class WatchCommand
{
    internal sealed record Options(string? Bindings, bool P11Kit = false);

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = WatcherServices.HostArguments });

        // The screen is standard output: no console exporter unless asked for, and logs only when the screen is a pipe.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new($"{WatcherServices.Root}:{TelemetryServiceCollectionExtensions.ConsoleKey}", "false")],
        });
        var redraw = !Console.IsOutputRedirected;
        builder.Logging.ClearProviders();
        if (!redraw)
        {
            builder.Logging.AddTerminalSafeConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        }

        WatcherRun.UseP11Kit(builder.Configuration, options.P11Kit);
        await WatcherRun.PrepareAsync(builder.Configuration, options.Bindings, cancellationToken);
        var color = redraw && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        builder.Services.AddHostedService(services => new WatchScreen(
            services.GetRequiredService<ReaderStateStore>(), services.GetRequiredService<TimeProvider>(), Console.Out, redraw, color));
        builder.Services.AddWatcher(builder.Configuration);

        return await WatcherRun.RunAsync(builder.Build, cancellationToken);
    }
}
