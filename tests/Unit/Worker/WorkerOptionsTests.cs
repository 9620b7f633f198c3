using TokenService.Drivers.Pcsc;
using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

public sealed class WorkerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions()).Succeeded);
        Assert.True(new ReaderMonitorOptionsValidator().Validate(null, new ReaderMonitorOptions()).Succeeded);
    }

    [Fact]
    public void ReaderMonitorOptions_Defaults_AreTheOneReconnectBackoff_200MillisecondsUpToOneSecond() =>
        Assert.Equal(
            (TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)),
            (new ReaderMonitorOptions().ReconnectDelay, new ReaderMonitorOptions().MaxReconnectDelay));

    [Theory]
    [InlineData(0, 100, "HistoryCapacity")]
    [InlineData(100, 0, "SubscriberBuffer")]
    public void Validate_OutOfRange_NamesTheSetting(int history, int buffer, string named)
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { HistoryCapacity = history, SubscriberBuffer = buffer });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }

    [Theory]
    [InlineData(5, 10_000, "ReconnectDelay")]
    [InlineData(200, 100, "MaxReconnectDelay")]
    [InlineData(200, 601_000, "MaxReconnectDelay")]
    public void ValidateReconnect_OutOfRange_NamesTheSetting(int delayMs, int maxDelayMs, string named)
    {
        var options = new ReaderMonitorOptions
        {
            ReconnectDelay = TimeSpan.FromMilliseconds(delayMs),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(maxDelayMs),
        };

        var result = new ReaderMonitorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }
}
