using System.Security.Cryptography;
using TokenService.SelfTest;
using TokenService.Verdicts;
using Xunit;

namespace TokenService.Tests.Unit.SelfTest;

/// <summary>Our EMSA-PSS (RFC 8017 §9.1.1), raised like CKM_RSA_X_509 would, must verify with .NET's RSASSA-PSS.</summary>
public sealed class EmsaPssTests
{
    public static TheoryData<int, string> KeysAndHashes() => new()
    {
        { 2048, "Sha256" },
        { 2048, "Sha384" },
        { 2048, "Sha512" },
        // modBits ≡ 1 mod 8: emLen = k - 1, the top octet of the k-octet block is zero (§8.1.1 step 2).
        { 2049, "Sha256" },
        { 2049, "Sha512" },
        // modBits ≡ 0 mod 8 but emBits = modBits - 1: one bit of the first octet is cleared (§9.1.1 step 11).
        { 1024, "Sha384" },
    };

    [Theory]
    [MemberData(nameof(KeysAndHashes))]
    public void Encode_RaisedToPrivateExponent_VerifiesWithDotNetPss(int bits, string hashName)
    {
        var hash = Enum.Parse<HashAlgorithmKind>(hashName);
        var key = TestRsaKey.OfSize(bits);
        using var publicKey = RSA.Create(key.Public);
        var digest = SchemeHashes.Hash(hash, "TLS 1.3, client CertificateVerify"u8);
        var salt = RandomNumberGenerator.GetBytes(digest.Length);

        var em = EmsaPss.Encode(hash, digest, salt, bits - 1);
        var signature = key.Raise(EmsaPss.ToModulusLength(em, (bits + 7) / 8));

        Assert.Equal((bits - 1 + 7) / 8, em.Length);
        Assert.Equal(0xBC, em[^1]);
        Assert.Equal(bits, key.Bits);
        Assert.True(publicKey.VerifyHash(digest, signature, SchemeHashes.Name(hash), RSASignaturePadding.Pss));
    }

    [Fact]
    public void Encode_OtherDigest_DoesNotVerify()
    {
        var key = TestRsaKey.OfSize(2048);
        using var publicKey = RSA.Create(key.Public);
        var em = EmsaPss.Encode(HashAlgorithmKind.Sha256, SHA256.HashData("a"u8), RandomNumberGenerator.GetBytes(32), 2047);
        var signature = key.Raise(em);

        Assert.False(publicKey.VerifyHash(SHA256.HashData("b"u8), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    /// <summary>
    /// TLS fixes sLen = hLen (RFC 8446 §4.2.3) and .NET's Pss checks exactly that: a token that picked another
    /// salt length would fail our verification as it fails an OpenSSL server.
    /// </summary>
    [Fact]
    public void Encode_SaltShorterThanHash_DotNetPssRejects()
    {
        var key = TestRsaKey.OfSize(2048);
        using var publicKey = RSA.Create(key.Public);
        var digest = SHA256.HashData("handshake"u8);
        var em = EmsaPss.Encode(HashAlgorithmKind.Sha256, digest, RandomNumberGenerator.GetBytes(20), 2047);

        Assert.False(publicKey.VerifyHash(digest, key.Raise(em), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    /// <summary>RFC 8017 §9.1.1 step 3: emLen &lt; hLen + sLen + 2 is an encoding error (RSA-1024 and SHA-512).</summary>
    [Fact]
    public void Encode_KeyTooSmallForHash_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            EmsaPss.Encode(HashAlgorithmKind.Sha512, new byte[64], new byte[64], 1023));

    [Fact]
    public void Encode_SameSalt_IsDeterministic()
    {
        var digest = SHA384.HashData("x"u8);
        var salt = new byte[48];

        Assert.Equal(EmsaPss.Encode(HashAlgorithmKind.Sha384, digest, salt, 2047), EmsaPss.Encode(HashAlgorithmKind.Sha384, digest, salt, 2047));
    }

    /// <summary>MGF1 against a value computed by hand: SHA-256("seed" ‖ 00000000) ‖ SHA-256("seed" ‖ 00000001), cut.</summary>
    [Fact]
    public void Mgf1_TwoBlocks_ConcatenatesCounterHashes()
    {
        var expected = SHA256.HashData([.. "seed"u8, 0, 0, 0, 0]).Concat(SHA256.HashData([.. "seed"u8, 0, 0, 0, 1])).Take(40);

        Assert.Equal(expected, EmsaPss.Mgf1(HashAlgorithmKind.Sha256, "seed"u8, 40));
    }
}
