using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TokenService.Text;

namespace TokenService.Telemetry;

/// <summary>
/// The console logger of `serve`, `watch` (when its output is a pipe) and `bench-watch`, with every message and
/// exception passed through <see cref="TerminalEscaper"/> first. Log messages carry reader names, ATRs, token labels
/// and module errors, all text from outside the tool (issue 9 §1): printed raw, a card could recolour, retitle or
/// split the console's lines. The escaping is done here, at the console's edge, not where values enter the log
/// calls: the structured state (and so the OTLP log records) keeps the exact values.
/// </summary>
internal static class TerminalSafeConsoleLogging
{
    /// <summary>
    /// Adds the console logger (as <c>AddConsole</c> does) and puts the escaping in front of it. Call it after
    /// anything else that adds the console logger: a later <c>AddConsole</c> would add the raw provider again.
    /// </summary>
    public static ILoggingBuilder AddTerminalSafeConsole(this ILoggingBuilder logging, Action<ConsoleLoggerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(logging);
        if (configure is null)
        {
            logging.AddConsole();
        }
        else
        {
            logging.AddConsole(configure);
        }

        var services = logging.Services;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ILoggerProvider) && services[i].ImplementationType == typeof(ConsoleLoggerProvider))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<ILoggerProvider>(sp => new TerminalSafeLoggerProvider(
            new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>())));
        return logging;
    }

    /// <summary>A log message as a terminal may show it: escaped, and the exception (if any) after it, each line escaped.</summary>
    public static string Message(string? message, Exception? exception) =>
        exception is null ? TerminalEscaper.Escape(message) : $"{TerminalEscaper.Escape(message)}\n{TerminalEscaper.EscapeLines(exception.ToString())}";
}

/// <summary>Wraps the console provider; its alias keeps the `Logging:Console` settings applying to it.</summary>
[ProviderAlias("Console")]
internal sealed class TerminalSafeLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new TerminalSafeLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// Hands the inner logger a formatter that escapes, and no exception object: the exception's text is part of the
/// escaped message instead, since the console formatter would print <see cref="Exception.ToString"/> raw.
/// </summary>
internal sealed class TerminalSafeLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        inner.Log(logLevel, eventId, state, exception: null, (s, _) => TerminalSafeConsoleLogging.Message(formatter(s, exception), exception));
    }
}
