using Microsoft.Extensions.Logging;

namespace TokenService.Drivers.Pcsc;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "PC/SC reader monitor started on thread {ThreadId}")]
    public static partial void WatchStarted(ILogger logger, int threadId);

    [LoggerMessage(2, LogLevel.Debug, "PC/SC reader monitor stopped")]
    public static partial void WatchStopped(ILogger logger);

    [LoggerMessage(3, LogLevel.Error, "PC/SC reader monitor failed")]
    public static partial void WatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "PC/SC reader event: {ReaderEvent}")]
    public static partial void Event(ILogger logger, ReaderEvent readerEvent);

    [LoggerMessage(5, LogLevel.Warning, "pcscd unreachable ({Reason}); reconnecting with backoff")]
    public static partial void ServiceLost(ILogger logger, string reason, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "pcscd reconnect attempt {Attempt} failed; next in {Delay}")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Information, "pcscd reachable again after {Gap}")]
    public static partial void ServiceRestored(ILogger logger, TimeSpan gap);
}
