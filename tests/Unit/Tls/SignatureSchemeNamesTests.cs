using TokenService.Tls;
using Xunit;

namespace TokenService.Tests.Unit.Tls;

public sealed class SignatureSchemeNamesTests
{
    /// <summary>Written out from the RFCs and the IANA registry, independently of the table under test.</summary>
    public static TheoryData<ushort, string> Registry => new()
    {
        { 0x0201, "rsa_pkcs1_sha1" },
        { 0x0202, "dsa_sha1_RESERVED" },
        { 0x0203, "ecdsa_sha1" },
        { 0x0301, "rsa_pkcs1_sha224" },
        { 0x0302, "dsa_sha224" },
        { 0x0303, "ecdsa_sha224" },
        { 0x0401, "rsa_pkcs1_sha256" },
        { 0x0402, "dsa_sha256_RESERVED" },
        { 0x0403, "ecdsa_secp256r1_sha256" },
        { 0x0420, "rsa_pkcs1_sha256_legacy" },
        { 0x0501, "rsa_pkcs1_sha384" },
        { 0x0502, "dsa_sha384_RESERVED" },
        { 0x0503, "ecdsa_secp384r1_sha384" },
        { 0x0520, "rsa_pkcs1_sha384_legacy" },
        { 0x0601, "rsa_pkcs1_sha512" },
        { 0x0602, "dsa_sha512_RESERVED" },
        { 0x0603, "ecdsa_secp521r1_sha512" },
        { 0x0620, "rsa_pkcs1_sha512_legacy" },
        { 0x0704, "eccsi_sha256" },
        { 0x0705, "iso_ibs1" },
        { 0x0706, "iso_ibs2" },
        { 0x0707, "iso_chinese_ibs" },
        { 0x0708, "sm2sig_sm3" },
        { 0x0709, "gostr34102012_256a" },
        { 0x070A, "gostr34102012_256b" },
        { 0x070B, "gostr34102012_256c" },
        { 0x070C, "gostr34102012_256d" },
        { 0x070D, "gostr34102012_512a" },
        { 0x070E, "gostr34102012_512b" },
        { 0x070F, "gostr34102012_512c" },
        { 0x0804, "rsa_pss_rsae_sha256" },
        { 0x0805, "rsa_pss_rsae_sha384" },
        { 0x0806, "rsa_pss_rsae_sha512" },
        { 0x0807, "ed25519" },
        { 0x0808, "ed448" },
        { 0x0809, "rsa_pss_pss_sha256" },
        { 0x080A, "rsa_pss_pss_sha384" },
        { 0x080B, "rsa_pss_pss_sha512" },
        { 0x081A, "ecdsa_brainpoolP256r1tls13_sha256" },
        { 0x081B, "ecdsa_brainpoolP384r1tls13_sha384" },
        { 0x081C, "ecdsa_brainpoolP512r1tls13_sha512" },
        { 0x0904, "mldsa44" },
        { 0x0905, "mldsa65" },
        { 0x0906, "mldsa87" },
    };

    [Theory]
    [MemberData(nameof(Registry))]
    public void NameOf_RegisteredCodePoint_ReturnsRegistryName(ushort code, string expected) =>
        Assert.Equal(expected, SignatureSchemeNames.NameOf(code));

    [Theory]
    [MemberData(nameof(Registry))]
    public void TryParse_RegistryName_ReturnsCodePoint(ushort expected, string name)
    {
        Assert.True(SignatureSchemeNames.TryParse(name, out var code));
        Assert.Equal(expected, code);
    }

    [Fact]
    public void KnownCodes_EveryEntry_RoundTripsThroughName()
    {
        foreach (var code in SignatureSchemeNames.KnownCodes)
        {
            var name = SignatureSchemeNames.NameOf(code);
            Assert.False(name.StartsWith("0x", StringComparison.Ordinal), $"0x{code:X4} has no name");
            Assert.True(SignatureSchemeNames.TryParse(name, out var parsed), name);
            Assert.Equal(code, parsed);
        }
    }

    [Fact]
    public void KnownCodes_Table_HasExactlyTheRegistryRows()
    {
        var expected = Registry.Select(row => (ushort)row[0]).Order().ToArray();
        Assert.Equal(expected, SignatureSchemeNames.KnownCodes.Order().ToArray());
    }

    [Fact]
    public void KnownCodes_Names_AreUnique()
    {
        var names = SignatureSchemeNames.KnownCodes.Select(SignatureSchemeNames.NameOf).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData(0x0000, "0x0000")]
    [InlineData(0x0101, "0x0101")]
    [InlineData(0x0400, "0x0400")]
    [InlineData(0x0840, "0x0840")]
    [InlineData(0xFE01, "0xFE01")]
    [InlineData(0xFFFF, "0xFFFF")]
    public void NameOf_UnknownCodePoint_ReturnsUpperCaseHex(ushort code, string expected) =>
        Assert.Equal(expected, SignatureSchemeNames.NameOf(code));

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0101)]
    [InlineData(0x0840)]
    [InlineData(0xFE01)]
    [InlineData(0xFFFF)]
    public void TryParse_HexFormOfUnknownCodePoint_RoundTrips(ushort code)
    {
        Assert.True(SignatureSchemeNames.TryParse(SignatureSchemeNames.NameOf(code), out var parsed));
        Assert.Equal(code, parsed);
    }

    [Theory]
    [InlineData("0x0804", 0x0804)]
    [InlineData("0X80b", 0x080B)]
    [InlineData("0x1", 0x0001)]
    [InlineData(" rsa_pss_rsae_sha256 ", 0x0804)]
    [InlineData("RSA_PSS_RSAE_SHA256", 0x0804)]
    [InlineData("ecdsa_brainpoolp256r1tls13_sha256", 0x081A)]
    [InlineData("dsa_sha1", 0x0202)]
    [InlineData("dsa_sha256", 0x0402)]
    [InlineData("dsa_sha384", 0x0502)]
    [InlineData("dsa_sha512", 0x0602)]
    public void TryParse_HexOtherCaseOrOpenSslDsaSpelling_ReturnsCodePoint(string text, ushort expected)
    {
        Assert.True(SignatureSchemeNames.TryParse(text, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x10000")]
    [InlineData("0xGG01")]
    [InlineData("0x-1")]
    [InlineData("rsa_pss_sha256")]
    [InlineData("RSA+SHA256")]
    public void TryParse_NotASchemeName_ReturnsFalse(string text) =>
        Assert.False(SignatureSchemeNames.TryParse(text, out _));
}
