using Microsoft.Extensions.Logging;

namespace TokenService.Worker;

/// <summary>The watcher's log. Never a PIN: probe targets are logged by module and token label only.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Card in {Reader} (ATR {Atr}): probing token {TokenLabel} through {Module}")]
    public static partial void ProbeStarted(ILogger logger, string reader, string atr, string? tokenLabel, string module);

    [LoggerMessage(101, LogLevel.Information, "Card in {Reader}: {State} {Verdict} in {DurationMs:F0} ms")]
    public static partial void ProbeFinished(ILogger logger, string reader, string state, string? verdict, double durationMs);

    [LoggerMessage(102, LogLevel.Warning, "Card in {Reader} (ATR {Atr}): no binding maps this reader to a token")]
    public static partial void NoBinding(ILogger logger, string reader, string atr);

    [LoggerMessage(103, LogLevel.Information, "Card left {Reader} during its probe: no verdict")]
    public static partial void RemovedDuringProbe(ILogger logger, string reader);

    [LoggerMessage(104, LogLevel.Warning, "Probe of the card in {Reader} failed: {Error}")]
    public static partial void ModuleFailed(ILogger logger, string reader, string? error);

    [LoggerMessage(105, LogLevel.Error, "The prober threw for the card in {Reader}")]
    public static partial void ProberThrew(ILogger logger, string reader, Exception exception);

    [LoggerMessage(106, LogLevel.Debug, "Probe result for {Reader} dropped: {Why}")]
    public static partial void ProbeResultDropped(ILogger logger, string reader, ProbeDrop why);

    [LoggerMessage(107, LogLevel.Information, "Re-probe of the card in {Reader} requested")]
    public static partial void RecheckRequested(ILogger logger, string reader);

    [LoggerMessage(108, LogLevel.Critical, "The reader monitor failed; the watcher stops")]
    public static partial void MonitorFailed(ILogger logger, Exception exception);

    [LoggerMessage(109, LogLevel.Warning, "A probe did not end within {Bound} of shutdown")]
    public static partial void ProbesOutlivedShutdown(ILogger logger, TimeSpan bound);
}
