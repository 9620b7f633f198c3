using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class SignatureSchemesTests
{
    /// <summary>IANA TLS SignatureScheme registry code points (RFC 8446 §4.2.3, RFC 8734, RFC 9963).</summary>
    [Theory]
    [InlineData("rsa_pkcs1_sha1", 0x0201, true, true)]
    [InlineData("rsa_pkcs1_sha256", 0x0401, true, true)]
    [InlineData("rsa_pkcs1_sha384", 0x0501, true, true)]
    [InlineData("rsa_pkcs1_sha512", 0x0601, true, true)]
    [InlineData("rsa_pkcs1_sha256_legacy", 0x0420, false, true)]
    [InlineData("rsa_pkcs1_sha384_legacy", 0x0520, false, true)]
    [InlineData("rsa_pkcs1_sha512_legacy", 0x0620, false, true)]
    [InlineData("rsa_pss_rsae_sha256", 0x0804, true, true)]
    [InlineData("rsa_pss_rsae_sha384", 0x0805, true, true)]
    [InlineData("rsa_pss_rsae_sha512", 0x0806, true, true)]
    [InlineData("rsa_pss_pss_sha256", 0x0809, true, true)]
    [InlineData("rsa_pss_pss_sha384", 0x080a, true, true)]
    [InlineData("rsa_pss_pss_sha512", 0x080b, true, true)]
    [InlineData("ecdsa_sha1", 0x0203, true, true)]
    [InlineData("ecdsa_secp256r1_sha256", 0x0403, true, true)]
    [InlineData("ecdsa_secp384r1_sha384", 0x0503, true, true)]
    [InlineData("ecdsa_secp521r1_sha512", 0x0603, true, true)]
    [InlineData("ecdsa_brainpoolP256r1tls13_sha256", 0x081a, false, true)]
    [InlineData("ecdsa_brainpoolP384r1tls13_sha384", 0x081b, false, true)]
    [InlineData("ecdsa_brainpoolP512r1tls13_sha512", 0x081c, false, true)]
    [InlineData("ed25519", 0x0807, true, true)]
    [InlineData("ed448", 0x0808, true, true)]
    public void TryGet_NameAndCode_SameSchemeWithItsVersions(string name, int code, bool tls12, bool tls13)
    {
        Assert.True(SignatureSchemes.TryGet(name, out var byName));
        Assert.True(SignatureSchemes.TryGet((ushort)code, out var byCode));

        Assert.Same(byName, byCode);
        Assert.Equal((ushort)code, byName.Code);
        Assert.Equal($"0x{code:x4}", byName.CodeText);
        Assert.Equal((tls12, tls13), (byName.InTls12, byName.InTls13));
    }

    [Fact]
    public void All_EveryScheme_CoveredByTheCodePointTable() => Assert.Equal(22, SignatureSchemes.All.Count);

    [Fact]
    public void TryGet_UnknownNameOrCode_False()
    {
        Assert.False(SignatureSchemes.TryGet("rsa_pkcs1_md5", out _));
        Assert.False(SignatureSchemes.TryGet((ushort)0x0101, out _));
    }
}
