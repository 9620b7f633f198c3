using System.Collections.Immutable;
using TokenService.SmartCards;
using TokenService.Telemetry;

namespace TokenService.Tests.Unit.Telemetry;

public sealed class CardFamiliesTests
{
    [Theory]
    [InlineData("3BFE1800008131FE45803181544853 4D3173802140 8107FA", "smartcard-hsm")] // OpenSC card-sc-hsm.c
    [InlineData("3B8580014D79454944 78", "myeid")]
    [InlineData("3B0A0102030405060708090A0B", CatalogCardFamily.Unknown)] // a vpcd test card
    [InlineData("", CatalogCardFamily.Unknown)]
    public void FamilyOf_Atr_IsTheCatalogsFamilyId_OrUnknown(string hex, string family)
    {
        ImmutableArray<byte> atr = [.. Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))];

        Assert.Equal(family, new CatalogCardFamily(CardCatalog.Default).FamilyOf(atr));
    }
}
