using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenService.Hosting;
using TokenService.Worker;

namespace TokenService.Cli;

/// <summary>Runs a host with the card watcher until cancelled, turning start-up failures into documented exit codes.</summary>
internal static class WatcherRun
{
    public static async Task PrepareBindingsAsync(Microsoft.Extensions.Configuration.IConfigurationManager configuration, string? bindings, CancellationToken cancellationToken)
    {
        try
        {
            await WatcherServices.UseBindingsAsync(configuration, bindings, Console.Error, cancellationToken);
        }
        catch (DemoBenchException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
    }

    /// <summary>Runs <paramref name="host"/> until <paramref name="cancellationToken"/> (Ctrl-C, SIGTERM) and returns the exit code.</summary>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            throw new CliException(ExitCodes.Config, "invalid configuration: " + string.Join("; ", e.Failures));
        }
        catch (IOException e) // Kestrel: address in use or not available
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }

        // The worker ends early only when the reader monitor failed (no PC/SC, no PnP notification).
        if (host.Services.GetService(typeof(CardWorker)) is CardWorker { ExecuteTask: { IsFaulted: true } failed })
        {
            throw new CliException(ExitCodes.Unavailable, "the card watcher failed: " + failed.Exception!.GetBaseException().Message);
        }

        return 0;
    }
}
