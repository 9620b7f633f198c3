using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;
using Xunit;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class SigningRoutesTests
{
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
