using System.Collections.Immutable;
using TokenService.SmartCards;
using TokenService.Tests.Unit.Infrastructure;

namespace TokenService.Tests.Unit.SmartCards;

public sealed class SmartcardListTests
{
    /// <summary>A small file in pcsc-tools' format: comments, literal and regular-expression entries, a broken one.</summary>
    internal const string Fixture = """
        #
        # smartcard_list.txt fixture
        # syntax: ATR in regular expression form, then tab-indented descriptions, then an empty line
        #

        3B .. 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40
        	Any YubiKey 5 speed byte (Other)

        3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40
        	Yubico YubiKey 5 NFC (PKI)
        	https://www.yubico.com/product/yubikey-5-nfc

        3B F5 96 00 00 8. 31 FE 45 4D 79 45 49 44 1.
        	MyEID card (Infineon chip) (PKI)

        3B [ 01
        	A broken pattern

        3B 02 14 50
        	Schlumberger Multiflex 3k
        	Second product on the same chip
        """;

    private static SmartcardList List() => SmartcardList.Parse(new StringReader(Fixture));

    private static ImmutableArray<byte> Bytes(string hex) => Atr.TryParse(hex, out _)!.Value;

    [Fact]
    public void Parse_Fixture_CountsEntriesAndSkipsTheBrokenOne()
    {
        var list = List();

        Assert.Equal(4, list.Count);
        Assert.Equal(1, list.Skipped);
    }

    [Fact]
    public void Names_TwoEntriesMatch_BothInFileOrderWithoutAddresses() =>
        Assert.Equal(
            ["Any YubiKey 5 speed byte (Other)", "Yubico YubiKey 5 NFC (PKI)"],
            List().Names(Bytes("3BFD1300008131FE158073C021C057597562694B657940")).ToArray());

    [Fact]
    public void Names_RegexEntryOtherByte_OnlyTheRegexMatches() =>
        Assert.Equal(["Any YubiKey 5 speed byte (Other)"], List().Names(Bytes("3B8D1300008131FE158073C021C057597562694B657940")).ToArray());

    [Fact]
    public void Names_NibbleWildcards_MatchIgnoringCase() =>
        Assert.Equal(["MyEID card (Infineon chip) (PKI)"], List().Names(Bytes("3bf59600008a31fe454d79454944 1f")).ToArray());

    [Fact]
    public void Names_EntryWithTwoDescriptions_BothNames() =>
        Assert.Equal(["Schlumberger Multiflex 3k", "Second product on the same chip"], List().Names(Bytes("3B021450")).ToArray());

    [Theory]
    [InlineData("3B0214")]
    [InlineData("3B02145000")]
    [InlineData("3F021450")]
    public void Names_PrefixLongerOrOther_NoMatchBecausePatternsAreAnchored(string atr) =>
        Assert.Empty(List().Names(Bytes(atr)));

    [Fact]
    public void Load_MissingFile_WarningNotError()
    {
        using var dir = new TempDirectory();

        var loaded = SmartcardListFile.Load(Path.Combine(dir.Path, "smartcard_list.txt"));

        Assert.Null(loaded.List);
        Assert.Contains("not found (install pcsc-tools)", loaded.Warning);
    }

    [Fact]
    public void Load_FileWrittenByTest_Parsed()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("smartcard_list.txt", Fixture);

        var loaded = SmartcardListFile.Load(path);

        Assert.Null(loaded.Warning);
        Assert.Equal(4, loaded.List!.Count);
    }
}
