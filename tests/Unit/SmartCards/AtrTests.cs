using TokenService.SmartCards;

namespace TokenService.Tests.Unit.SmartCards;

public sealed class AtrTests
{
    [Theory]
    [InlineData("3BFD1300008131FE158073C021C057597562694B657940")]
    [InlineData("3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40")]
    [InlineData("3b:fd:13:00:00:81:31:fe:15:80:73:c0:21:c0:57:59:75:62:69:4b:65:79:40")]
    public void TryParse_HexWithOrWithoutSeparators_SameBytes(string text)
    {
        var atr = Atr.TryParse(text, out var error);

        Assert.Null(error);
        Assert.NotNull(atr);
        Assert.Equal("3BFD1300008131FE158073C021C057597562694B657940", Atr.Compact(atr.Value));
        Assert.Equal("3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40", Atr.Spaced(atr.Value));
    }

    [Theory]
    [InlineData("3BZZ", "not hex")]
    [InlineData("3B-FD", "not hex")]
    [InlineData("3BF", "odd number")]
    [InlineData("3B", "has 1")]
    [InlineData("", "has 0")]
    [InlineData("3B0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021", "has 34")]
    public void TryParse_NotAnAtr_ErrorSaysWhy(string text, string mentions)
    {
        var atr = Atr.TryParse(text, out var error);

        Assert.Null(atr);
        Assert.Contains(mentions, error);
    }

    [Fact]
    public void TryParse_LongestAtr_Accepted() =>
        Assert.Equal(33, Atr.TryParse("3B" + string.Concat(Enumerable.Repeat("00", 32)), out _)!.Value.Length);
}
