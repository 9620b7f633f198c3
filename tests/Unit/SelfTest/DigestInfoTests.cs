using System.Formats.Asn1;
using System.Security.Cryptography;
using TokenService.SelfTest;
using TokenService.Verdicts;
using Xunit;

namespace TokenService.Tests.Unit.SelfTest;

public sealed class DigestInfoTests
{
    /// <summary>RFC 8017 §9.2, Note 1, byte for byte.</summary>
    [Theory]
    [InlineData("Sha1", "30 21 30 09 06 05 2b 0e 03 02 1a 05 00 04 14")]
    [InlineData("Sha256", "30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20")]
    [InlineData("Sha384", "30 41 30 0d 06 09 60 86 48 01 65 03 04 02 02 05 00 04 30")]
    [InlineData("Sha512", "30 51 30 0d 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40")]
    public void Prefix_EachHash_IsTheRfc8017Prefix(string hash, string rfcHex) =>
        Assert.Equal(Convert.FromHexString(rfcHex.Replace(" ", "", StringComparison.Ordinal)), DigestInfo.Prefix(Enum.Parse<HashAlgorithmKind>(hash)).ToArray());

    [Theory]
    [InlineData("Sha256", "2.16.840.1.101.3.4.2.1")]
    [InlineData("Sha384", "2.16.840.1.101.3.4.2.2")]
    [InlineData("Sha512", "2.16.840.1.101.3.4.2.3")]
    public void Encode_Digest_IsDerDigestInfoWithOidNullAndDigest(string hashName, string oid)
    {
        var hash = Enum.Parse<HashAlgorithmKind>(hashName);
        var digest = SchemeHashes.Hash(hash, "abc"u8);

        var reader = new AsnReader(DigestInfo.Encode(hash, digest), AsnEncodingRules.DER);
        var info = reader.ReadSequence();
        var algorithm = info.ReadSequence();

        Assert.Equal(oid, algorithm.ReadObjectIdentifier());
        algorithm.ReadNull();
        Assert.Equal(digest, info.ReadOctetString());
        Assert.False(reader.HasData);
    }

    [Theory]
    [InlineData("Sha256")]
    [InlineData("Sha384")]
    [InlineData("Sha512")]
    public void Encode_PaddedAndRaisedLikeCkmRsaPkcs_VerifiesWithDotNetPkcs1(string hashName)
    {
        var hash = Enum.Parse<HashAlgorithmKind>(hashName);
        var key = TestRsaKey.OfSize(2048);
        using var rsa = RSA.Create(key.Public);
        var digest = SchemeHashes.Hash(hash, "handshake"u8);
        var digestInfo = DigestInfo.Encode(hash, digest);

        // EMSA-PKCS1-v1_5 (RFC 8017 §9.2 step 5): 00 01 FF...FF 00 || T, what the token adds for CKM_RSA_PKCS.
        var em = new byte[key.Public.Modulus!.Length];
        em[1] = 0x01;
        em.AsSpan(2, em.Length - digestInfo.Length - 3).Fill(0xFF);
        digestInfo.CopyTo(em, em.Length - digestInfo.Length);
        var signature = key.Raise(em);

        Assert.True(rsa.VerifyHash(digest, signature, SchemeHashes.Name(hash), RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Encode_DigestOfAnotherLength_Throws() =>
        Assert.Throws<ArgumentException>(() => DigestInfo.Encode(HashAlgorithmKind.Sha384, new byte[32]));
}
