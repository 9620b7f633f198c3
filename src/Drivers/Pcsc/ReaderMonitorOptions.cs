using System.ComponentModel.DataAnnotations;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// How <see cref="ReaderMonitor"/> reconnects to pcscd after losing it: the one reconnect setting of the watcher
/// (`serve` and `watch` bind it from <c>TokenService:Worker</c>, environment TOKENSERVICE__WORKER__RECONNECTDELAY).
/// </summary>
internal sealed class ReaderMonitorOptions : IValidatableObject
{
    /// <summary>The first wait before establishing a new context (10 ms to 1 min); it doubles after each failure (with jitter).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest wait between two attempts (at least <see cref="ReconnectDelay"/>, at most 10 min). One second: the
    /// watcher is back within a second of pcscd (with 10 s it lagged 1.5 s after a restart, measured: docs/benchmarks.md),
    /// and an attempt is one failed connect to pcscd's socket.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    // TimeSpan ranges are checked here, not with [Range(typeof(TimeSpan), ...)]: that constructor converts through
    // a TypeConverter and is marked RequiresUnreferencedCode, which fails the NativeAOT build (IL2026).
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReconnectDelay < TimeSpan.FromMilliseconds(10) || ReconnectDelay > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"ReconnectDelay: between 00:00:00.010 and 00:01:00, got {ReconnectDelay}", [nameof(ReconnectDelay)]);
        }

        if (MaxReconnectDelay < ReconnectDelay || MaxReconnectDelay > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"MaxReconnectDelay: between ReconnectDelay and 00:10:00, got {MaxReconnectDelay}", [nameof(MaxReconnectDelay)]);
        }
    }
}
