using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

public sealed class WorkerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() =>
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions()).Succeeded);

    [Theory]
    [InlineData(0, 100, 200, 10_000, "HistoryCapacity")]
    [InlineData(100, 0, 200, 10_000, "SubscriberBuffer")]
    [InlineData(100, 256, 5, 10_000, "ReconnectDelay")]
    [InlineData(100, 256, 200, 100, "MaxReconnectDelay")]
    [InlineData(100, 256, 200, 601_000, "MaxReconnectDelay")]
    public void Validate_OutOfRange_NamesTheSetting(int history, int buffer, int delayMs, int maxDelayMs, string named)
    {
        var options = new WorkerOptions
        {
            HistoryCapacity = history,
            SubscriberBuffer = buffer,
            ReconnectDelay = TimeSpan.FromMilliseconds(delayMs),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(maxDelayMs),
        };

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }
}
