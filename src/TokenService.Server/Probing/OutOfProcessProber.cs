using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Processes;

namespace TokenService.Probing;

/// <summary>
/// Probes tokens in child processes (`tokenservice probe-host`), one per distinct module and environment:
/// SoftHSM reads SOFTHSM2_CONF once, at C_Initialize, and a module that hangs or crashes must not take the
/// service with it (STYLE "Native code"). Each host keeps its modules loaded, so a repeated probe costs one
/// inventory plus a pipe round trip. Requests to one host run one at a time: PKCS#11 login state belongs to
/// the process (v2.40 §5.6). Starting a host is bounded by <see cref="ProbingOptions.StartTimeout"/> and every
/// request by <see cref="ProbingOptions.Timeout"/>; a host that hangs is killed with everything it started, one
/// that dies is noticed, and the next request starts a fresh one.
/// </summary>
internal sealed class OutOfProcessProber(IOptions<ProbingOptions> options, IOptions<VerdictOptions> verdict, TimeProvider time, ILogger<OutOfProcessProber> logger)
    : ITokenProber, IAsyncDisposable
{
    /// <summary>How long a host that stopped answering may take to exit before it is described as hung.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    private readonly ProbingOptions settings = options.Value;
    private readonly ConcurrentDictionary<string, HostSlot> slots = new(StringComparer.Ordinal);
    private long lastRequestId;
    private long hostRestarts;
    private volatile bool disposed;

    /// <summary>Probe hosts started in place of an earlier one of the same module configuration (it died, hung or failed to start).</summary>
    public long HostRestarts => Interlocked.Read(ref hostRestarts);

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
            Clients = verdict.Value.Clients,
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
    /// it to answer a ping (bounded by <see cref="ProbingOptions.StartTimeout"/>); loads no module. Returns the
    /// host's process ID. A service can call it at start for the modules it knows, so that the first card
    /// event does not wait for a host to start.
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
            for (var attempt = 1; ; attempt++)
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
                    var started = await StartAsync(slot, target, cancellationToken);
                    if (started.Response is null || request.Module is null)
                    {
                        return started;
                    }
                }

                var sent = await SendAsync(slot, target, request, settings.Timeout, cancellationToken);
                if (sent.NeverAccepted && attempt == 1)
                {
                    // The host died before it read the request (killed while idle, noticed only now): the module
                    // never saw it, so it goes once more, to a fresh host.
                    continue;
                }

                return sent;
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Starts the slot's host and waits, bounded by <see cref="ProbingOptions.StartTimeout"/>, for it to answer a ping.</summary>
    private async Task<Exchange> StartAsync(HostSlot slot, ProbeTarget target, CancellationToken cancellationToken)
    {
        var info = StartInfo(target);
        try
        {
            slot.Host = ProbeHostProcess.Start(info, logger);
        }
        catch (Win32Exception e)
        {
            Log.HostStartFailed(logger, target.Module, info.FileName, e);
            return Exchange.Failed(ProbeStatus.ModuleFailed, $"could not start a probe host ({info.FileName}): {e.Message}", null);
        }

        Log.HostStarted(logger, slot.Host.ProcessId, target.Module, DescribeEnvironment(target.Environment));
        if (slot.Starts++ > 0)
        {
            Interlocked.Increment(ref hostRestarts);
        }

        var ready = await SendAsync(slot, target, new ProbeHostRequest { Id = Interlocked.Increment(ref lastRequestId) }, settings.StartTimeout, cancellationToken);
        if (ready.Response is { Status: not ProbeHostStatus.Ready } unexpected)
        {
            await DiscardAsync(slot);
            return Exchange.Failed(ProbeStatus.ModuleFailed, $"the probe host answered '{unexpected.Status}' to a ping: {unexpected.Error}", ready.ProcessId);
        }

        return ready;
    }

    /// <summary>
    /// One request to the slot's running host, bounded by <paramref name="timeout"/>. A host that does not answer
    /// in time is killed; one whose output ends is described; either way the slot is left empty for a fresh host.
    /// </summary>
    private async Task<Exchange> SendAsync(HostSlot slot, ProbeTarget target, ProbeHostRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = slot.Host!;
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        ProbeHostProcess.Reply reply;
        try
        {
            reply = await host.ExchangeAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HostTimedOut(logger, host.ProcessId, target.Module, timeout);
            await DiscardAsync(slot);
            var what = request.Module is null ? $"probe host {host.ProcessId} for {target.Module} did not start within" : $"PKCS#11 module {target.Module} did not answer within";
            return Exchange.Failed(
                ProbeStatus.ModuleFailed,
                string.Create(CultureInfo.InvariantCulture, $"{what} {timeout.TotalSeconds:0.###} s: probe host {host.ProcessId} killed"),
                host.ProcessId);
        }
        catch (OperationCanceledException)
        {
            // Cancelled while the host works on it (the card was pulled, a recheck superseded it): the host would go on
            // with the request and every later one would queue behind it, and a module reading a pulled card can
            // stay blocked (OpenSC waiting on pcscd, seen with a virtual PIV card): a fresh host serves the next probe.
            Log.HostDiscardedOnCancel(logger, host.ProcessId, target.Module);
            await DiscardAsync(slot);
            return Exchange.Failed(ProbeStatus.Cancelled, "cancelled", host.ProcessId);
        }

        if (reply.Response is null)
        {
            var howItEnded = await host.DescribeExitAsync(ExitWait);
            Log.HostEnded(logger, host.ProcessId, target.Module, howItEnded);
            await DiscardAsync(slot);
            return Exchange.Failed(ProbeStatus.ModuleFailed, $"PKCS#11 module {target.Module}: probe host {host.ProcessId} {howItEnded}", host.ProcessId)
                with { NeverAccepted = request.Module is not null && !reply.Accepted };
        }

        return new Exchange(reply.Response, null, null, host.ProcessId);
    }

    /// <summary>Kills the slot's host with everything it started and empties the slot.</summary>
    private static async Task DiscardAsync(HostSlot slot)
    {
        var host = slot.Host!;
        slot.Host = null;
        host.Kill();
        await host.DisposeAsync();
    }

    private ProcessStartInfo StartInfo(ProbeTarget target)
    {
        var info = settings.HostExecutable is { } executable
            ? ChildProcess.StartInfo(executable, [.. settings.HostArguments ?? [], "probe-host"])
            : TokenServiceProgram.StartInfo(["probe-host"]);
        ProbeHostEnvironment.Apply(info.Environment, Environment.GetEnvironmentVariables(), target.Environment);
        return info;
    }

    /// <summary>One host per module file and environment; the order environment variables were given in does not matter.</summary>
    internal static string HostKey(ProbeTarget target) =>
        string.Join('\0', [Path.GetFullPath(target.Module), .. target.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value)]);

    /// <summary>Names only: a value could be a secret some module reads from its environment.</summary>
    private static string DescribeEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment.Count == 0 ? "no module environment" : "environment sets " + string.Join(", ", environment.Keys.Order(StringComparer.Ordinal));

    /// <summary>A module configuration's host, replaced when it dies; the gate keeps one request at a time.</summary>
    private sealed class HostSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ProbeHostProcess? Host { get; set; }

        /// <summary>Hosts started for this slot so far: every one after the first is a restart.</summary>
        public int Starts { get; set; }
    }

    private readonly record struct Exchange(ProbeHostResponse? Response, ProbeStatus? Failure, string? Error, int? ProcessId)
    {
        /// <summary>The host ended without having accepted the probe request: the module never saw it.</summary>
        public bool NeverAccepted { get; init; }

        public static Exchange Failed(ProbeStatus status, string error, int? processId) => new(null, status, error, processId);
    }
}
