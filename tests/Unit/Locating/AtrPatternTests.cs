using System.Collections.Immutable;
using TokenService.Locating;
using Xunit;

namespace TokenService.Tests.Unit.Locating;

public sealed class AtrPatternTests
{
    private static ImmutableArray<byte> Atr(string hex) => [.. Convert.FromHexString(hex)];

    [Theory]
    // Exact: every byte, same length.
    [InlineData("3B 8F 80 01", "3B8F8001", true)]
    [InlineData("3B:8F:80:01", "3B8F8001", true)]
    [InlineData("3b8f8001", "3B8F8001", true)]
    [InlineData("3B 8F 80 01", "3B8F8002", false)]
    [InlineData("3B 8F 80 01", "3B8F800100", false)]
    [InlineData("3B 8F 80 01", "3B8F80", false)]
    // Prefix: the ATR may go on.
    [InlineData("3B 8F *", "3B8F8001", true)]
    [InlineData("3B 8F*", "3B8F", true)]
    [InlineData("3B 8F *", "3B80", false)]
    [InlineData("3B 8F 80 *", "3B8F", false)]
    // Mask: only bits set in the mask count.
    [InlineData("3B 8F 00 01 / FF FF 00 FF", "3B8F7701", true)]
    [InlineData("3B 8F 00 01 / FF FF 00 FF", "3B8F7702", false)]
    [InlineData("3B 80 / FF F0", "3B8F", true)]
    [InlineData("3B 80 / FF F0 *", "3B8F1122", true)]
    [InlineData("3B 80 / FF F0", "3B7F", false)]
    public void Matches_PatternAndAtr_ComparesMaskedBytes(string pattern, string atr, bool expected)
    {
        Assert.True(AtrPattern.TryParse(pattern, out var parsed, out var error), error);

        Assert.Equal(expected, parsed!.Matches(Atr(atr)));
    }

    [Fact]
    public void Matches_NoAtr_DoesNotMatch()
    {
        Assert.True(AtrPattern.TryParse("3B *", out var parsed, out _));

        Assert.False(parsed!.Matches(default));
        Assert.False(parsed.Matches([]));
    }

    [Theory]
    [InlineData("3B 8", "odd number of hex digits")]
    [InlineData("3B 8G", "'8G' is not a hex byte")]
    [InlineData("3B 8F / FF", "the mask has 1 bytes, the ATR 2")]
    [InlineData("3B / FF / FF", "more than one '/'")]
    [InlineData("*", "no ATR bytes")]
    [InlineData("3B / ZZ", "mask: 'ZZ' is not a hex byte")]
    public void TryParse_BadPattern_SaysWhatIsWrong(string pattern, string message)
    {
        Assert.False(AtrPattern.TryParse(pattern, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
