using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenService.Hosting;
using TokenService.Worker;

namespace TokenService.Cli;

/// <summary>Runs a host with the card watcher until cancelled, turning start-up failures into documented exit codes.</summary>
internal static class WatcherRun
{
    /// <summary>The module `--p11kit` names: Debian's OpenSC as p11-kit registers it (README "Bench bindings").</summary>
    public const string OpenScP11KitModule = "opensc-pkcs11";

    /// <summary>`--p11kit`: readers no binding matches are probed through OpenSC (Locating:P11KitModule), and no demo bench is made.</summary>
    public static void UseP11Kit(Microsoft.Extensions.Configuration.IConfigurationManager configuration, bool p11Kit)
    {
        if (p11Kit)
        {
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(configuration, [new(WatcherServices.P11KitModuleKey, OpenScP11KitModule)]);
        }
    }

    public static async Task PrepareAsync(Microsoft.Extensions.Configuration.IConfigurationManager configuration, string? bindings, CancellationToken cancellationToken)
    {
        try
        {
            await WatcherServices.PrepareAsync(configuration, bindings, Console.Error, cancellationToken);
        }
        catch (DemoBenchException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
    }

    /// <summary>
    /// Builds the host and runs it until <paramref name="cancellationToken"/> (Ctrl-C, SIGTERM), disposes it (the
    /// prober's probe hosts are disposed asynchronously) and returns the exit code. Options are validated while
    /// building (Kestrel reads the listen address) and when starting: either way an invalid one exits 78.
    /// </summary>
    public static async Task<int> RunAsync(Func<IHost> build, CancellationToken cancellationToken)
    {
        IHost? host = null;
        try
        {
            host = build();

            // ValidateOnStart's check, made before StartAsync: a failing start logs its exception with a stack trace
            // (Host event 11), where an invalid option (a bindings file that is /dev/zero) deserves one line.
            (host.Services.GetService(typeof(IStartupValidator)) as IStartupValidator)?.Validate();
            await host.StartAsync(cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);

            // The worker ends early only when the reader monitor failed (no PC/SC, no PnP notification, a PC/SC code
            // PcscErrors does not know as pcscd going away): systemd's Restart=on-failure starts it afresh.
            if (host.Services.GetService(typeof(CardWorker)) is CardWorker { ExecuteTask: { IsFaulted: true } failed })
            {
                throw new CliException(ExitCodes.Unavailable, "the card watcher failed: " + failed.Exception!.GetBaseException().Message);
            }

            return 0;
        }
        catch (OptionsValidationException e)
        {
            throw new CliException(ExitCodes.Config, "invalid configuration: " + string.Join("; ", e.Failures));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            // Several options sections invalid at once (IStartupValidator reports them together).
            throw new CliException(ExitCodes.Config, "invalid configuration: " + string.Join("; ", e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)));
        }
        catch (IOException e) // Kestrel: address in use or not available
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
