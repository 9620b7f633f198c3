using System.Text;
using TokenService.SmartCards;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.SmartCards;

public sealed class CardCatalogTests
{
    private const string YubiKey5Nfc = "3BFD1300008131FE158073C021C057597562694B657940";

    public static TheoryData<string> FamilyIds() => [.. CardCatalog.Default.Families.Select(f => f.Id)];

    [Fact]
    public void Default_EmbeddedCatalog_AtLeastTwelveFamiliesEachWithSources()
    {
        var families = CardCatalog.Default.Families;

        Assert.True(families.Length >= 12, $"{families.Length} families");
        Assert.All(families, f => Assert.NotEmpty(f.Sources));
        Assert.All(families, f => Assert.All(f.Facts, x => Assert.False(string.IsNullOrWhiteSpace(x.Source))));
    }

    [Theory]
    [MemberData(nameof(FamilyIds))]
    public void Evaluate_EveryFamilyKey_EngineVerdictIsTheDocumentedOne(string id)
    {
        var family = CardCatalog.Default.Find(id)!;

        var keys = FamilyVerdicts.Evaluate(family, ServerModel.StockOpenSsl3, TestClock.Now);

        Assert.Equal(family.Keys.Length, keys.Length);
        Assert.All(keys, k => Assert.Equal(k.ExpectedVerdict, k.Verdict));
        Assert.All(keys, k => Assert.Equal(7, k.Clients.Count));
    }

    [Fact]
    public void Matching_YubiKey5NfcAtr_PivThroughOpenScAndYkcs11AndOpenPgp()
    {
        var atr = Atr.TryParse(YubiKey5Nfc, out _)!.Value;

        Assert.Equal(["yubikey-piv-opensc", "yubikey-piv-ykcs11", "openpgp-card"], CardCatalog.Default.Matching(atr).Select(f => f.Id));
    }

    [Fact]
    public void Matching_DnieAtrWithMaskedBytes_DnieOnly()
    {
        var atr = Atr.TryParse("3B 7F 38 00 00 00 6A 44 4E 49 65 10 02 4C 34 01 13 03 90 00", out _)!.Value;

        Assert.Equal(["dnie"], CardCatalog.Default.Matching(atr).Select(f => f.Id));
    }

    [Fact]
    public void Matching_UnknownAtr_NoFamily() =>
        Assert.Empty(CardCatalog.Default.Matching(Atr.TryParse("3B021450", out _)!.Value));

    [Fact]
    public void Evaluate_Pkcs1OnlyFamily_ChromeLinuxFailsTls13WithNoCommonAlgorithms()
    {
        var key = FamilyVerdicts.Evaluate(CardCatalog.Default.Find("jpki")!, ServerModel.StockOpenSsl3, TestClock.Now).Single();

        var chrome = key.Clients.Single(c => c.Stack == "chrome-linux");
        Assert.Equal("fail", chrome.Tls13.Outcome);
        Assert.Contains("-177", chrome.Tls13.Error);
        Assert.Equal("ok", chrome.Tls12.Outcome);
    }

    [Theory]
    [InlineData("CKM_RSA_PKCS", "\"teleport\"", "unknown flag teleport")]
    [InlineData("CKM_NOT_A_MECHANISM", "\"sign\"", "unknown mechanism CKM_NOT_A_MECHANISM")]
    public void Parse_CatalogWithUnknownNames_InvalidData(string mechanism, string flag, string message)
    {
        var json = $$"""
            { "families": [ {
              "id": "broken", "name": "Broken",
              "atrPatterns": [ { "pattern": "3B 00", "source": "test" } ],
              "middleware": { "name": "M", "module": "m.so", "versions": "1", "source": "test" },
              "mechanisms": [ { "name": "{{mechanism}}", "minKeySize": 1024, "maxKeySize": 2048, "flags": [ {{flag}} ] } ],
              "mechanismsSource": "test",
              "keys": [ { "keyType": "RSA", "bits": 2048, "expectedVerdict": "compatible" } ]
            } ] }
            """;

        var error = Assert.Throws<InvalidDataException>(() => CardCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [MemberData(nameof(FamilyIds))]
    public void SampleAtr_EveryFamily_AValidAtrItsOwnPatternsMatch(string id)
    {
        var family = CardCatalog.Default.Find(id)!;

        var atr = family.SampleAtr;

        Assert.InRange(atr.Length, Atr.MinLength, Atr.MaxLength);
        Assert.Contains(family, CardCatalog.Default.Matching(atr));
    }

    [Fact]
    public void SampleAtr_DnieOnlyWildcardPatterns_WildcardBytesAreZero() =>
        Assert.Equal("3B7F000000006A444E4965000000000000039000", Atr.Compact(CardCatalog.Default.Find("dnie")!.SampleAtr));

    [Theory]
    [MemberData(nameof(FamilyIds))]
    public void Token_EveryFamily_InfoAsItsMiddlewareShowsItWithASource(string id)
    {
        var token = CardCatalog.Default.Find(id)!.Token;

        Assert.NotNull(token);
        Assert.False(string.IsNullOrWhiteSpace(token.Source));
        Assert.Contains(token.Source, CardCatalog.Default.Find(id)!.Sources);
    }

    [Theory]
    [InlineData("\"label\": \"123456789012345678901234567890123\", \"model\": \"X\"", "token label must be 1 to 32 bytes")]
    [InlineData("\"label\": \"L\", \"model\": \"12345678901234567\"", "token model must be 1 to 16 bytes")]
    [InlineData("\"label\": \"a\\u001bb\", \"model\": \"X\"", "token label must be 1 to 32 bytes")]
    public void Parse_TokenInfoThatNoTokenInfoFieldHolds_InvalidData(string fields, string message)
    {
        var json = $$"""
            { "families": [ {
              "id": "broken", "name": "Broken",
              "atrPatterns": [ { "pattern": "3B 00", "source": "test" } ],
              "middleware": { "name": "M", "module": "m.so", "versions": "1", "source": "test" },
              "mechanisms": [ { "name": "CKM_RSA_PKCS", "minKeySize": 1024, "maxKeySize": 2048, "flags": [ "sign" ] } ],
              "mechanismsSource": "test",
              "token": { "manufacturer": "M", "source": "test", {{fields}} },
              "keys": [ { "keyType": "RSA", "bits": 2048, "expectedVerdict": "compatible" } ]
            } ] }
            """;

        var error = Assert.Throws<InvalidDataException>(() => CardCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains(message, error.Message);
    }
}
