using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Pcsc;

/// <summary>Writes a component's log to the test's output, so a failed hardware test shows what the driver saw.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{logLevel,-11} {formatter(state, exception)}{(exception is null ? "" : " | " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has already finished.
        }
    }
}
