using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Cli;

namespace TokenService.Probing;

/// <summary>
/// Probes tokens in child processes (`tokenservice probe-host`), one per distinct module and environment:
/// SoftHSM reads SOFTHSM2_CONF once, at C_Initialize, and a module that hangs or crashes must not take the
/// service with it (STYLE "Native code"). Each host keeps its modules loaded, so a repeated probe costs one
/// inventory plus a pipe round trip. Requests to one host run one at a time: PKCS#11 login state belongs to
/// the process (v2.40 §5.6). Every request is bounded by <see cref="ProbingOptions.Timeout"/>; a host that
/// hangs is killed with everything it started, one that dies is noticed, and the next request starts a fresh one.
/// </summary>
internal sealed class OutOfProcessProber(IOptions<ProbingOptions> options, TimeProvider time, ILogger<OutOfProcessProber> logger)
    : ITokenProber, IAsyncDisposable
{
    /// <summary>How long a host that stopped answering may take to exit before it is described as hung.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    private readonly ProbingOptions settings = options.Value;
    private readonly ConcurrentDictionary<string, HostSlot> slots = new(StringComparer.Ordinal);
    private long lastRequestId;
    private volatile bool disposed;

    /// <inheritdoc/>
    /// <remarks>Never throws for a module's failure: that is <see cref="ProbeStatus.ModuleFailed"/>.</remarks>
    public async Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = time.GetTimestamp();
        var request = new ProbeHostRequest
        {
            Id = Interlocked.Increment(ref lastRequestId),
            Module = target.Module,
            TokenLabel = target.TokenLabel,
            SlotDescription = target.SlotDescription,
            PinFile = target.PinFile,
            ServerSchemes = settings.ServerSchemes,
        };
        var exchange = await ExchangeAsync(target, request, cancellationToken);
        var duration = time.GetElapsedTime(started);
        var outcome = exchange.Response is { } response
            ? ProbeHostResponses.ToOutcome(response, duration)
            : new ProbeOutcome(exchange.Failure!.Value, null, exchange.Error, duration);
        outcome = outcome with { HostProcessId = exchange.ProcessId };
        Log.ProbeFinished(logger, target.Module, target.TokenLabel ?? target.SlotDescription ?? "any token", outcome.Status, duration);
        return outcome;
    }

    /// <summary>
    /// Starts the probe host for <paramref name="target"/>'s module configuration, when none runs, and waits for
    /// it to answer a ping; loads no module. Returns the host's process ID.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host could not be started or did not answer.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<int> StartHostAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var exchange = await ExchangeAsync(target, new ProbeHostRequest { Id = Interlocked.Increment(ref lastRequestId) }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return exchange.Response is { Status: ProbeHostStatus.Ready, ProcessId: { } pid }
            ? pid
            : throw new InvalidOperationException($"the probe host for {target.Module} did not start: {exchange.Error ?? exchange.Response?.Error}");
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        foreach (var slot in slots.Values)
        {
            await slot.Gate.WaitAsync();
            try
            {
                if (slot.Host is { } host)
                {
                    slot.Host = null;
                    await host.StopAsync(ExitWait);
                    await host.DisposeAsync();
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }
    }

    private async Task<Exchange> ExchangeAsync(ProbeTarget target, ProbeHostRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var slot = slots.GetOrAdd(HostKey(target), static _ => new HostSlot());
        try
        {
            await slot.Gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return Exchange.Failed(ProbeStatus.Cancelled, "cancelled before the probe started", null);
        }

        try
        {
            if (slot.Host is { HasEnded: true } ended)
            {
                // Died between requests (killed from outside, or crashed while idle): replace it quietly.
                Log.HostEnded(logger, ended.ProcessId, target.Module, await ended.DescribeExitAsync(ExitWait));
                slot.Host = null;
                await ended.DisposeAsync();
            }

            if (slot.Host is null)
            {
                try
                {
                    slot.Host = Start(target);
                }
                catch (Win32Exception e)
                {
                    return Exchange.Failed(ProbeStatus.ModuleFailed, $"could not start a probe host: {e.Message}", null);
                }
            }

            var host = slot.Host;
            using var timeout = new CancellationTokenSource(settings.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            ProbeHostResponse? response;
            try
            {
                response = await host.ExchangeAsync(request, linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.HostTimedOut(logger, host.ProcessId, target.Module, settings.Timeout);
                slot.Host = null;
                host.Kill();
                await host.DisposeAsync();
                return Exchange.Failed(
                    ProbeStatus.ModuleFailed,
                    string.Create(CultureInfo.InvariantCulture, $"PKCS#11 module {target.Module} did not answer within {settings.Timeout.TotalSeconds:0.###} s: probe host {host.ProcessId} killed"),
                    host.ProcessId);
            }
            catch (OperationCanceledException)
            {
                // The host goes on with the request; its late answer is dropped, and the next request queues behind it.
                return Exchange.Failed(ProbeStatus.Cancelled, "cancelled", host.ProcessId);
            }

            if (response is null)
            {
                var howItEnded = await host.DescribeExitAsync(ExitWait);
                Log.HostEnded(logger, host.ProcessId, target.Module, howItEnded);
                slot.Host = null;
                await host.DisposeAsync();
                return Exchange.Failed(ProbeStatus.ModuleFailed, $"PKCS#11 module {target.Module}: probe host {host.ProcessId} {howItEnded}", host.ProcessId);
            }

            return new Exchange(response, null, null, host.ProcessId);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private ProbeHostProcess Start(ProbeTarget target)
    {
        var info = settings.HostExecutable is { } executable
            ? SelfProcess.StartInfo(executable, [.. settings.HostArguments ?? [], "probe-host"])
            : SelfProcess.StartInfo(["probe-host"]);
        foreach (var (name, value) in target.Environment)
        {
            info.Environment[name] = value;
        }

        try
        {
            var host = ProbeHostProcess.Start(info, logger);
            Log.HostStarted(logger, host.ProcessId, target.Module, DescribeEnvironment(target.Environment));
            return host;
        }
        catch (Win32Exception e)
        {
            Log.HostStartFailed(logger, target.Module, info.FileName, e);
            throw;
        }
    }

    /// <summary>One host per module file and environment; the order environment variables were given in does not matter.</summary>
    internal static string HostKey(ProbeTarget target) =>
        string.Join('\0', [Path.GetFullPath(target.Module), .. target.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value)]);

    /// <summary>Names only: a value could be a secret some module reads from its environment.</summary>
    private static string DescribeEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment.Count == 0 ? "inherited environment" : "environment sets " + string.Join(", ", environment.Keys.Order(StringComparer.Ordinal));

    /// <summary>A module configuration's host, replaced when it dies; the gate keeps one request at a time.</summary>
    private sealed class HostSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ProbeHostProcess? Host { get; set; }
    }

    private readonly record struct Exchange(ProbeHostResponse? Response, ProbeStatus? Failure, string? Error, int? ProcessId)
    {
        public static Exchange Failed(ProbeStatus status, string error, int? processId) => new(null, status, error, processId);
    }
}
