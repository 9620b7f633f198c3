using TokenService.Contracts;

namespace TokenService.Probing;

/// <summary>Where a card's token is and how to reach it: the module, its environment and which token.</summary>
/// <param name="Module">PKCS#11 module path.</param>
/// <param name="Environment">Native environment for the module (e.g. SOFTHSM2_CONF); one probe host per distinct (module, environment).</param>
/// <param name="TokenLabel">The token's CK_TOKEN_INFO label, when known (test benches).</param>
/// <param name="SlotDescription">The slot's description, when known (OpenSC names slots after readers).</param>
/// <param name="PinFile">A file holding the user PIN, when the bench configuration gives one; never the PIN itself.</param>
internal sealed record ProbeTarget(
    string Module,
    IReadOnlyDictionary<string, string> Environment,
    string? TokenLabel,
    string? SlotDescription,
    string? PinFile);

internal enum ProbeStatus
{
    /// <summary>The token was read and evaluated: <see cref="ProbeOutcome.Report"/> holds the verdict.</summary>
    Completed,
    /// <summary>
    /// The module hung, crashed or failed to load (the probe host was killed or restarted), or the probe host
    /// could not carry out the request as configured (an unreadable PIN file): <see cref="ProbeOutcome.Error"/> says which.
    /// </summary>
    ModuleFailed,
    /// <summary>The module loaded but no token matched the target.</summary>
    TokenNotFound,
    /// <summary>The card left the reader while it was being probed.</summary>
    RemovedDuringProbe,
    /// <summary>The probe was cancelled (shutdown).</summary>
    Cancelled,
}

/// <summary>The result of one probe: a verdict, or why there is none (a value, not an exception).</summary>
internal sealed record ProbeOutcome(ProbeStatus Status, TokenReport? Report, string? Error, TimeSpan Duration)
{
    /// <summary>The probe host that answered (or failed), when one was started.</summary>
    public int? HostProcessId { get; init; }

    /// <summary>The part of <see cref="ProbeOutcome.Duration"/> spent inside the probe host, when it answered.</summary>
    public TimeSpan? HostDuration { get; init; }
}

/// <summary>Reads and evaluates a token, out of process, bounded in time; never throws for module failures.</summary>
internal interface ITokenProber
{
    Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken);
}
