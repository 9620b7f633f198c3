using Microsoft.Extensions.Logging;

namespace TokenService.Probing;

/// <summary>Probing's log events. Requests are never logged: a PIN file path is the most they hold, and even that stays out.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Probe host {ProcessId} started for {Module} ({Environment})")]
    public static partial void HostStarted(ILogger logger, int processId, string module, string environment);

    [LoggerMessage(2, LogLevel.Error, "Could not start a probe host for {Module} with {Executable}")]
    public static partial void HostStartFailed(ILogger logger, string module, string executable, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Probe host {ProcessId} for {Module} did not answer within {Timeout}: killed")]
    public static partial void HostTimedOut(ILogger logger, int processId, string module, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Warning, "Probe host {ProcessId} for {Module} {HowItEnded}")]
    public static partial void HostEnded(ILogger logger, int processId, string module, string howItEnded);

    [LoggerMessage(5, LogLevel.Debug, "Probe host {ProcessId}: {Line}")]
    public static partial void HostSaid(ILogger logger, int processId, string line);

    [LoggerMessage(6, LogLevel.Warning, "Probe host {ProcessId} wrote a line that is not a response")]
    public static partial void UnreadableResponse(ILogger logger, int processId, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "Probe host {ProcessId} answered request {RequestId}, which nobody waits for any more")]
    public static partial void UnexpectedResponse(ILogger logger, int processId, long requestId);

    [LoggerMessage(8, LogLevel.Debug, "Probe host {ProcessId}: reading its output failed")]
    public static partial void OutputFailed(ILogger logger, int processId, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Probe host {ProcessId} for {Module} stopped: its probe was cancelled mid-request")]
    public static partial void HostDiscardedOnCancel(ILogger logger, int processId, string module);

    [LoggerMessage(9, LogLevel.Debug, "Probe of {Module} ({Token}): {Status} in {Duration}")]
    public static partial void ProbeFinished(ILogger logger, string module, string token, ProbeStatus status, TimeSpan duration);
}
