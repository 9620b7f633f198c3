using TokenService.Drivers.Pkcs11;
using Xunit;

namespace TokenService.Tests.Unit.Drivers.Pkcs11;

public sealed class SlotDescriptionsTests
{
    [Theory]
    [InlineData("Virtual PCD 00 00", "Virtual PCD 00 00", "Exact")]
    [InlineData("Virtual PCD 00 00                                               ", "Virtual PCD 00 00", "Exact")]
    [InlineData("Virtual PCD 00 01", "Virtual PCD 00 00", "None")]
    [InlineData("Reader 10", "Reader 1", "Contains")]
    [InlineData("OMNIKEY 3121 (USB) [slot 0]", "OMNIKEY 3121 (USB)", "Contains")]
    [InlineData("", "Virtual PCD 00 00", "None")]
    public void Compare_DescriptionAndReader_GivesMatchQuality(string description, string wanted, string expected) =>
        Assert.Equal(expected, SlotDescriptions.Compare(description, wanted).ToString());

    [Fact]
    public void Compare_ReaderNameLongerThanTheField_MatchesItsCutForm()
    {
        var reader = "Yubico YubiKey OTP+FIDO+CCID (0001234567) Smart Card Reader Interface 00 00";
        var stored = reader[..64];

        Assert.Equal(SlotDescriptions.Match.Exact, SlotDescriptions.Compare(stored, reader));
    }

    [Fact]
    public void Compare_CutInsideAMultiByteCharacter_KeepsWholeCharacters()
    {
        // 63 ASCII bytes, then 'é' (2 bytes): the 64-byte field holds the 63 ASCII bytes only.
        var reader = new string('a', 63) + "é reader";

        Assert.Equal(SlotDescriptions.Match.Exact, SlotDescriptions.Compare(new string('a', 63), reader));
    }

    [Fact]
    public void Select_ExactAndContainingSlots_PrefersExact()
    {
        string[] slots = ["Reader 10", "Reader 1", "Reader 11"];

        Assert.Equal(["Reader 1"], SlotDescriptions.Select(slots, s => s, "Reader 1"));
    }

    [Fact]
    public void Select_OnlyContainingSlots_ReturnsThemInOrder()
    {
        string[] slots = ["Other", "Reader 1 (PIV)", "Reader 1 (OpenPGP)"];

        Assert.Equal(["Reader 1 (PIV)", "Reader 1 (OpenPGP)"], SlotDescriptions.Select(slots, s => s, "Reader 1"));
    }
}
