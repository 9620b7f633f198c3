using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using TokenService.Cli;
using TokenService.Probing;
using TokenService.Telemetry;
using TokenService.Text;
using WorkerLog = TokenService.Worker.Log;

namespace TokenService.Tests.Unit.Telemetry;

/// <summary>
/// Issue 9 §1 for the service's console: log messages and bench lines that carry a reader name, an ATR, a token
/// label or a module's error reach the terminal escaped, while the structured log state keeps the exact values.
/// </summary>
public sealed class TerminalSafeConsoleLoggingTests
{
    private const string HostileReader = "Reader \u001b]0;pwned\u0007\u009b2J";
    private const string HostileLabel = "k\u001b[8mHIDDEN\u001b[0m\rCOMPATIBLE";

    [Fact]
    public void Log_HostileReaderAndLabel_InnerLoggerGetsOneEscapedLine()
    {
        var inner = new RecordingLogger();
        var logger = new TerminalSafeLogger(inner);

        WorkerLog.ProbeStarted(logger, HostileReader, "3B\u001b00", HostileLabel, "/m.so");

        var (message, exception, state) = Assert.Single(inner.Entries);
        Assert.Equal(
            "Card in Reader \\x1b]0;pwned\\x07\\x9b2J (ATR 3B\\x1b00): probing token k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE through /m.so",
            message);
        Assert.Null(exception);
        Assert.Contains(state, kv => kv.Key == "Reader" && (string?)kv.Value == HostileReader);
    }

    [Fact]
    public void Log_ExceptionWithHostileMessage_EscapedLinesAfterTheMessage()
    {
        var inner = new RecordingLogger();
        var logger = new TerminalSafeLogger(inner);

        WorkerLog.ProberThrew(logger, HostileReader, new InvalidOperationException("token \u001b[31mred\u001b[0m gone"));

        var (message, exception, _) = Assert.Single(inner.Entries);
        Assert.Null(exception);
        var lines = message.Split('\n');
        Assert.Equal("The prober threw for the card in Reader \\x1b]0;pwned\\x07\\x9b2J", lines[0]);
        Assert.Equal("System.InvalidOperationException: token \\x1b[31mred\\x1b[0m gone", lines[1]);
        Assert.DoesNotContain(message, c => c != '\n' && TerminalEscaper.IsUnsafe(c));
    }

    [Fact]
    public void AddTerminalSafeConsole_ReplacesTheConsoleProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole().AddTerminalSafeConsole());
        using var provider = services.BuildServiceProvider();

        var providers = provider.GetServices<ILoggerProvider>().ToList();

        Assert.Single(providers.OfType<TerminalSafeLoggerProvider>());
        Assert.Empty(providers.OfType<ConsoleLoggerProvider>());
    }

    /// <summary>
    /// The real console provider behind the wrapper, writing to a captured standard output (the provider takes
    /// Console.Out when it is made, and its disposal flushes its queue).
    /// </summary>
    [Fact]
    public void ConsoleProvider_HostileReaderInAWarning_StandardOutputGetsItEscaped()
    {
        var captured = new StringWriter();
        var original = Console.Out;
        Console.SetOut(captured);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging
                .AddSimpleConsole(console => console.ColorBehavior = LoggerColorBehavior.Disabled)
                .AddTerminalSafeConsole());
            using var provider = services.BuildServiceProvider();
            WorkerLog.NoBinding(provider.GetRequiredService<ILoggerFactory>().CreateLogger("bench"), HostileReader, "3B00");
        }
        finally
        {
            Console.SetOut(original);
        }

        var output = captured.ToString();
        Assert.Contains("Card in Reader \\x1b]0;pwned\\x07\\x9b2J (ATR 3B00): no binding maps this reader to a token", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output, c => c is not '\n' && TerminalEscaper.IsUnsafe(c));
    }

    [Fact]
    public void BenchProbe_FirstProbeFailedWithHostileLabelAndError_OneEscapedLine()
    {
        var first = new ProbeOutcome(ProbeStatus.ModuleFailed, null, $"no token labelled '{HostileLabel}'\nsecond line", TimeSpan.FromMilliseconds(3));

        var line = BenchProbeCommand.FirstProbeFailed(HostileLabel, first);

        Assert.Equal(
            "k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE: first probe ModuleFailed: no token labelled 'k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE'\\x0asecond line",
            line);
    }

    /// <summary>Formats each entry as a console formatter would (the formatter it is handed) and keeps it.</summary>
    private sealed class RecordingLogger : ILogger
    {
        public List<(string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), exception, state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
