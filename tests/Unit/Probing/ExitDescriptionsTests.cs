using TokenService.Probing;
using Xunit;

namespace TokenService.Tests.Unit.Probing;

public sealed class ExitDescriptionsTests
{
    [Theory]
    [InlineData(134, "was killed by signal 6 (SIGABRT; exit code 134)")]
    [InlineData(137, "was killed by signal 9 (SIGKILL; exit code 137)")]
    [InlineData(139, "was killed by signal 11 (SIGSEGV; exit code 139)")]
    [InlineData(0, "exited with code 0")]
    [InlineData(70, "exited with code 70")]
    [InlineData(128, "exited with code 128")]
    [InlineData(200, "exited with code 200")]
    public void Of_ExitCode_NamesTheSignalWhenThereIsOne(int exitCode, string expected) =>
        Assert.Equal(expected, ExitDescriptions.Of(exitCode));
}
