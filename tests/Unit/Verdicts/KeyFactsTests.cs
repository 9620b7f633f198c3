using System.Security.Cryptography;
using TokenService.Tests.Unit.Certificates;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class KeyFactsTests
{
    public static TheoryData<string> PairableKeys => ["rsa2048", "p256", "p384", "p521", "ed25519"];

    /// <summary>docs/tls-client-auth.md §2: the same CKA_ID is a convention, not proof; the public key decides.</summary>
    [Theory]
    [MemberData(nameof(PairableKeys))]
    public void FromToken_CertificateWithAnotherCkaId_PairedByPublicKey(string name)
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Key(Key(name), k => k with { Id = 1, CertificateId = 9 }).Build();

        var key = Assert.Single(KeyFacts.FromToken(token));

        Assert.NotNull(key.Certificate);
        Assert.Equal<byte>([9], key.CertificateObject!.Id);
        Assert.True(key.CertificateMatchesKey);
        Assert.False(key.CertificateMatchUnverified);
        Assert.False(key.CertificateKeyDiffers);
    }

    [Theory]
    [InlineData("rsa2048", "rsa2048-other")]
    [InlineData("p256", "p256-other")]
    public void FromToken_SameCkaIdButAnotherKeysCertificate_Mismatch(string name, string other)
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Key(Key(name), k => k with { CertifiedKey = Key(other) }).Build();

        var key = Assert.Single(KeyFacts.FromToken(token));

        Assert.NotNull(key.Certificate);
        Assert.False(key.CertificateMatchesKey);
        Assert.False(key.CertificateMatchUnverified);
        Assert.True(key.CertificateKeyDiffers);
    }

    [Fact]
    public void FromToken_TwoKeysTwoCertificatesWithCrossedIds_EachGetsItsOwn()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa)
            .Key(TestKeys.Rsa2048, k => k with { Id = 1, CertificateId = 2, Certificate = CertificateSpec.ClientAuth with { Subject = "CN=rsa" } })
            .Key(TestKeys.P256, k => k with { Id = 2, CertificateId = 1, Certificate = CertificateSpec.ClientAuth with { Subject = "CN=ec" } })
            .Build();

        var keys = KeyFacts.FromToken(token);

        Assert.Equal(["CN=rsa", "CN=ec"], keys.Select(k => k.Certificate!.Subject));
        Assert.All(keys, k => Assert.True(k.CertificateMatchesKey));
    }

    [Fact]
    public void FromToken_EcKeyWithoutPublicKeyObject_PairedByIdUnverified()
    {
        var key = Assert.Single(KeyFacts.FromToken(Cards.Get(Cards.EcNoPublicKey)));

        Assert.NotNull(key.Certificate);
        Assert.True(key.CertificateMatchUnverified);
        Assert.False(key.CertificateMatchesKey);
        Assert.False(key.CertificateKeyDiffers);
    }

    [Fact]
    public void FromToken_OpaqueRsaPrivateKey_ModulusFromThePublicKeyObject()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Key(TestKeys.Rsa2048, k => k with { ModulusOnPrivateKey = false, CertificateId = 7 }).Build();

        var key = Assert.Single(KeyFacts.FromToken(token));

        Assert.Equal(2048, key.Bits);
        Assert.True(key.CertificateMatchesKey);
    }

    [Theory]
    [InlineData("rsa2048", 2048, null)]
    [InlineData("rsa1024", 1024, null)]
    [InlineData("p256", 256, "secp256r1")]
    [InlineData("p384", 384, "secp384r1")]
    [InlineData("p521", 521, "secp521r1")]
    [InlineData("secp256k1", 256, "secp256k1")]
    [InlineData("brainpoolP256r1", 256, "brainpoolP256r1")]
    [InlineData("ed25519", 255, "ed25519")]
    public void FromToken_Key_BitsAndCurve(string name, int bits, string? curve)
    {
        var key = Assert.Single(KeyFacts.FromToken(TokenBuilder.With(MechanismSets.FullRsa).Key(Key(name)).Build()));

        Assert.Equal(bits, key.Bits);
        Assert.Equal(curve, key.Curve);
    }

    /// <summary>
    /// A module that stores CKA_EC_POINT bare (KeyMaterial's own case): a P-256 point whose X starts with 0x3F
    /// also reads as a DER OCTET STRING, which must not hide the key and its certificate.
    /// </summary>
    [Fact]
    public void FromToken_BareEcPointThatParsesAsDer_StillPairedByPublicKey()
    {
        var bare = Convert.FromHexString(KeyMaterialTests.AmbiguousP256Point);
        var ambiguous = TestKey.FromEc("p256-ambiguous", Oids.P256, new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = bare[1..33], Y = bare[33..] },
        });
        var token = TokenBuilder.With(MechanismSets.Ec).Key(ambiguous, k => k with { BareEcPoint = true, CertificateId = 5 }).Build();

        var key = Assert.Single(KeyFacts.FromToken(token));

        Assert.Equal(bare, key.PublicPoint.ToArray());
        Assert.NotNull(key.Certificate);
        Assert.True(key.CertificateMatchesKey);
    }

    private static TestKey Key(string name) => new[]
    {
        TestKeys.Rsa2048, TestKeys.Rsa2048Other, TestKeys.Rsa1024, TestKeys.P256, TestKeys.P256Other, TestKeys.P384,
        TestKeys.P521, TestKeys.Secp256k1, TestKeys.BrainpoolP256, TestKeys.Ed25519,
    }.Single(k => k.Name == name);
}
