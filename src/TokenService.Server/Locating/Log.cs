using Microsoft.Extensions.Logging;

namespace TokenService.Locating;

internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Debug, "Reader {Reader}: bench binding for token {Token} in {Module}")]
    public static partial void LocatedByBinding(ILogger logger, string reader, string token, string module);

    [LoggerMessage(102, LogLevel.Debug, "Reader {Reader}: the slot named after it in p11-kit module {Module}")]
    public static partial void LocatedByP11Kit(ILogger logger, string reader, string module);

    [LoggerMessage(103, LogLevel.Information, "Reader {Reader} (ATR {Atr}): no bench binding matches and no p11-kit module is configured")]
    public static partial void NotLocated(ILogger logger, string reader, string atr);

    [LoggerMessage(104, LogLevel.Warning, "p11-kit registry: {Problem}")]
    public static partial void RegistryProblem(ILogger logger, string problem);
}
