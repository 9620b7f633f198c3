namespace TokenService.Drivers.Pcsc;

/// <summary>How <see cref="ReaderMonitor"/> reconnects to pcscd after losing it.</summary>
internal sealed class ReaderMonitorOptions
{
    /// <summary>The first wait before establishing a new context; it doubles after each failure (with jitter).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);
}
