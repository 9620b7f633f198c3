using Microsoft.Extensions.Logging;

namespace TokenService.Api;

internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "HTTP API listening on {Scheme}://{Address}{Protection}")]
    public static partial void Listening(ILogger logger, string scheme, string address, string protection);

    [LoggerMessage(201, LogLevel.Warning, "Refused {Method} {Path} from {Remote}: missing or wrong X-Api-Key")]
    public static partial void ApiKeyRefused(ILogger logger, string method, string path, string? remote);

    [LoggerMessage(202, LogLevel.Debug, "Event stream to {Remote} lost {Count} events (client too slow)")]
    public static partial void EventsDropped(ILogger logger, string? remote, long count);

    [LoggerMessage(203, LogLevel.Warning, "Refused {Method} {Path} from {Remote}: Host '{HostHeader}' is not a name this service is reached as")]
    public static partial void HostRefused(ILogger logger, string method, string path, string? hostHeader, string? remote);

    [LoggerMessage(204, LogLevel.Warning, "Refused {Method} {Path} from {Remote}: {Reason}")]
    public static partial void CrossSiteRefused(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(205, LogLevel.Warning, "The API key travels in clear over plain HTTP on {Address}: set TokenService:Serve:CertificateFile (and KeyFile) to serve HTTPS")]
    public static partial void KeyInClear(ILogger logger, string address);

    [LoggerMessage(206, LogLevel.Information, "Page session started for {Remote}")]
    public static partial void SessionStarted(ILogger logger, string? remote);

    [LoggerMessage(207, LogLevel.Information, "Page session ended by {Remote}")]
    public static partial void SessionEnded(ILogger logger, string? remote);
}
