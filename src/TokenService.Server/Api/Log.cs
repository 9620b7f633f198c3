using Microsoft.Extensions.Logging;

namespace TokenService.Api;

internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "HTTP API listening on {Address}{Protection}")]
    public static partial void Listening(ILogger logger, string address, string protection);

    [LoggerMessage(201, LogLevel.Warning, "Refused {Method} {Path} from {Remote}: missing or wrong X-Api-Key")]
    public static partial void ApiKeyRefused(ILogger logger, string method, string path, string? remote);

    [LoggerMessage(202, LogLevel.Debug, "Event stream to {Remote} lost {Count} events (client too slow)")]
    public static partial void EventsDropped(ILogger logger, string? remote, long count);
}
