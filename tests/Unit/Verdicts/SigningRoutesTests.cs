using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class SigningRoutesTests
{
    /// <summary>EMSA-PSS: emLen = ceil((modBits - 1) / 8) must be at least 2*hLen + 2 (RFC 8017 §9.1.1).</summary>
    [Theory]
    [InlineData(1024, "rsa_pss_rsae_sha256", true)]
    [InlineData(1024, "rsa_pss_rsae_sha384", true)]
    [InlineData(1024, "rsa_pss_rsae_sha512", false)]
    [InlineData(1025, "rsa_pss_rsae_sha512", false)]
    [InlineData(1033, "rsa_pss_rsae_sha512", false)]
    [InlineData(1041, "rsa_pss_rsae_sha512", true)]
    [InlineData(768, "rsa_pss_rsae_sha384", false)]
    [InlineData(2048, "rsa_pss_pss_sha512", true)]
    public void PssFits_ModulusBitsAndHash_EncodedLengthRule(int bits, string scheme, bool fits)
    {
        SignatureSchemes.TryGet(scheme, out var s);
        var key = new KeyFacts { Key = new() { Handle = 1, Kind = KeyKind.Rsa }, Bits = bits };

        Assert.Equal(fits, SigningRoutes.PssFits(key, s));
    }

    [Theory]
    [InlineData("rsa_pkcs1_sha256", "CKM_RSA_PKCS", "CKM_SHA256_RSA_PKCS")]
    [InlineData("rsa_pkcs1_sha256_legacy", "CKM_RSA_PKCS", "CKM_SHA256_RSA_PKCS")]
    [InlineData("rsa_pss_rsae_sha384", "CKM_RSA_PKCS_PSS CKM_RSA_X_509", "CKM_SHA384_RSA_PKCS_PSS")]
    [InlineData("rsa_pss_pss_sha512", "CKM_RSA_PKCS_PSS CKM_RSA_X_509", "CKM_SHA512_RSA_PKCS_PSS")]
    [InlineData("ecdsa_secp384r1_sha384", "CKM_ECDSA", "CKM_ECDSA_SHA384")]
    [InlineData("ed25519", "CKM_EDDSA", null)]
    public void For_SchemeFamily_BareRoutesInOrderAndTheHashedVariant(string scheme, string routes, string? hashed)
    {
        SignatureSchemes.TryGet(scheme, out var s);

        Assert.Equal(routes.Split(' '), SigningRoutes.For(s.Family).Select(r => r.MechanismName));
        Assert.Equal(hashed, SigningRoutes.HashedVariant(s) is { } h ? Mechanisms.NameOf(h) : null);
    }

    /// <summary>RFC 8017 §9.2 step 3: k >= tLen + 11, tLen being 51, 67 or 83 octets for SHA-256/384/512.</summary>
    [Theory]
    [InlineData(512, "rsa_pkcs1_sha256", true)]   // k = 64 >= 62
    [InlineData(512, "rsa_pkcs1_sha384", false)]  // k = 64 < 78
    [InlineData(512, "rsa_pkcs1_sha512", false)]
    [InlineData(744, "rsa_pkcs1_sha512", false)]  // k = 93 < 94
    [InlineData(745, "rsa_pkcs1_sha512", true)]   // k = 94
    [InlineData(1024, "rsa_pkcs1_sha512", true)]
    [InlineData(512, "rsa_pkcs1_sha1", true)]     // tLen 35
    public void Refusal_Pkcs1DigestInfoAgainstKeySize_KeyTooSmallForHashWhenItCannotFit(int bits, string scheme, bool fits)
    {
        Assert.True(SignatureSchemes.TryGet(scheme, out var s));
        var key = new KeyFacts
        {
            Key = new PrivateKeySnapshot { Handle = 1, Kind = KeyKind.Rsa, Sign = true },
            Bits = bits,
        };
        var token = new TokenMechanisms(new TokenSnapshot
        {
            SlotId = 1,
            Mechanisms = [new MechanismSnapshot(Mechanisms.RsaPkcs, 512, 4096, MechanismSnapshot.FlagSign)],
        });

        var refusal = SigningRoutes.Refusal(token, key, SigningRoutes.Pkcs1, s);

        Assert.Equal(fits, refusal is null);
        Assert.Equal(fits ? null : "key-too-small-for-hash", refusal?.Reason);
    }

    [Fact]
    public void Refusal_ObservedFailure_HasTheLastWordAfterTheLists()
    {
        var key = new KeyFacts
        {
            Key = new PrivateKeySnapshot { Handle = 1, Kind = KeyKind.Rsa, Sign = true },
            Bits = 2048,
            SigningFailures = [new ObservedSigningFailure(Mechanisms.RsaPkcsPss, SignatureSchemes.RsaPssRsaeSha256.Code, "CKR_FUNCTION_FAILED")],
        };
        var token = new TokenMechanisms(new TokenSnapshot
        {
            SlotId = 1,
            Mechanisms = [new MechanismSnapshot(Mechanisms.RsaPkcsPss, 512, 4096, MechanismSnapshot.FlagSign)],
        });

        var refused = SigningRoutes.Refusal(token, key, SigningRoutes.Pss, SignatureSchemes.RsaPssRsaeSha256);

        Assert.Equal(new TokenRefusal(ReasonCodes.SelfTestFailed, "CKR_FUNCTION_FAILED"), refused);
        Assert.Null(SigningRoutes.Refusal(token, key, SigningRoutes.Pss, SignatureSchemes.RsaPssRsaeSha384));
    }
}
