using Microsoft.Extensions.Logging;
using TokenService.Tests.Hardware.Pcsc;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>Sends a whole host's log to the test output, so a failed test shows what the watcher saw.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger<TestOutputLoggerProvider>(output);

    public void Dispose()
    {
    }
}
