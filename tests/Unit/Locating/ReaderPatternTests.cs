using TokenService.Locating;
using Xunit;

namespace TokenService.Tests.Unit.Locating;

public sealed class ReaderPatternTests
{
    [Theory]
    [InlineData("Virtual PCD 00 00", "Virtual PCD 00 00", true)]
    [InlineData("Virtual PCD 00 00", "Virtual PCD 00 01", false)]
    [InlineData("Virtual PCD 00 00", "virtual pcd 00 00", false)]
    [InlineData("Virtual PCD 00 00", "Virtual PCD 00 00 extra", false)]
    [InlineData("Virtual PCD *", "Virtual PCD 00 01", true)]
    [InlineData("Virtual PCD *", "Virtual PC", false)]
    [InlineData("*", "Any Reader 00 00", true)]
    public void Matches_PatternAndReader_ExactOrPrefix(string pattern, string reader, bool expected)
    {
        Assert.True(ReaderPattern.TryParse(pattern, out var parsed, out var error), error);

        Assert.Equal(expected, parsed!.Matches(reader));
    }

    [Theory]
    [InlineData("", "empty reader name")]
    [InlineData("Virtual * 00", "'*' may only end the name")]
    public void TryParse_BadPattern_SaysWhatIsWrong(string pattern, string message)
    {
        Assert.False(ReaderPattern.TryParse(pattern, out _, out var error));

        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
