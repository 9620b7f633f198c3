using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenService.Bench;
using TokenService.Hosting;
using TokenService.Telemetry;
using TokenService.Text;
using TokenService.Worker;

namespace TokenService.Cli;

/// <summary>`bench-watch` (hidden): the watcher benchmark of docs/benchmarks.md, on the demo bench and vpcd.</summary>
internal static class BenchWatchCommand
{
    public static async Task<int> RunAsync(WatchBenchmark.Options options, string? bindings, CancellationToken cancellationToken)
    {
        if (options.Count < 1)
        {
            throw new CliException(ExitCodes.Usage, "--count: at least 1");
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = WatcherServices.HostArguments });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new($"{WatcherServices.Root}:{TelemetryServiceCollectionExtensions.ConsoleKey}", "false")],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddTerminalSafeConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        await WatcherRun.PrepareAsync(builder.Configuration, bindings, cancellationToken);
        builder.Services.AddWatcher(builder.Configuration);

        var host = builder.Build();
        await using var _ = (IAsyncDisposable)host;
        var store = host.Services.GetRequiredService<ReaderStateStore>();
        using var events = store.Subscribe();
        await host.StartAsync(cancellationToken);
        try
        {
            Console.Error.WriteLine($"bench-watch: {options.Count} insertions, {options.Idle.TotalSeconds:F0} s idle{(options.Restart ? ", pcscd restart" : "")}");
            var report = await new WatchBenchmark(store, Console.Error).RunAsync(options, events, cancellationToken);
            // The report is the bench's own lines; escaped line by line all the same, as every console output is.
            await Console.Out.WriteAsync(TerminalEscaper.EscapeLines(report));
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
