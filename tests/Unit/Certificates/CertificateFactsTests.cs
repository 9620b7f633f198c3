using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using TokenService.Certificates;
using TokenService.Tests.Unit.TestData;

namespace TokenService.Tests.Unit.Certificates;

public sealed class CertificateFactsTests
{
    private static CertificateFacts Parse(TestKey key, CertificateSpec spec) =>
        CertificateFacts.TryParse(TestCa.Issue(key, spec).AsSpan()) ?? throw new InvalidOperationException("test certificate did not parse");

    [Theory]
    [InlineData(X509KeyUsageFlags.DigitalSignature, "digitalSignature", true)]
    [InlineData(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, "digitalSignature nonRepudiation", true)]
    [InlineData(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, "keyEncipherment dataEncipherment", false)]
    [InlineData(X509KeyUsageFlags.NonRepudiation, "nonRepudiation", false)]
    [InlineData(X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, "keyAgreement keyCertSign cRLSign", false)]
    public void TryParse_KeyUsage_BitNamesAndDigitalSignature(X509KeyUsageFlags usage, string names, bool digitalSignature)
    {
        var facts = Parse(TestKeys.P256, CertificateSpec.ClientAuth with { KeyUsage = usage });

        Assert.Equal(names.Split(' '), facts.KeyUsage!.Value);
        Assert.Equal(digitalSignature, facts.HasDigitalSignature);
    }

    [Fact]
    public void TryParse_NoKeyUsageExtension_NullAndAnyUseAllowed()
    {
        // RFC 5280 §4.2.1.3: without the extension the key is not restricted.
        var facts = Parse(TestKeys.P256, CertificateSpec.ClientAuth with { KeyUsage = null });

        Assert.Null(facts.KeyUsage);
        Assert.True(facts.HasDigitalSignature);
    }

    [Theory]
    [InlineData(Oids.ClientAuth, "clientAuth", true)]
    [InlineData(Oids.ServerAuth, "serverAuth", false)]
    [InlineData(Oids.ServerAuth + " " + Oids.ClientAuth, "serverAuth clientAuth", true)]
    [InlineData(Oids.SmartcardLogon, "msSmartcardLogin", false)]
    [InlineData(Oids.AnyExtendedKeyUsage, "anyExtendedKeyUsage", true)]
    [InlineData("1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999.1", false)]
    public void TryParse_ExtendedKeyUsage_NamesOrOidsAndClientAuth(string oids, string names, bool clientAuth)
    {
        var facts = Parse(TestKeys.P256, CertificateSpec.ClientAuth with { ExtendedKeyUsage = [.. oids.Split(' ')] });

        Assert.Equal(names.Split(' '), facts.ExtendedKeyUsage!.Value);
        Assert.Equal(clientAuth, facts.AllowsClientAuth);
    }

    [Fact]
    public void TryParse_NoExtendedKeyUsageExtension_NullAndClientAuthAllowed()
    {
        // RFC 5280 §4.2.1.12: the extension restricts only when present.
        var facts = Parse(TestKeys.P256, CertificateSpec.ClientAuth with { ExtendedKeyUsage = null });

        Assert.Null(facts.ExtendedKeyUsage);
        Assert.True(facts.AllowsClientAuth);
    }

    [Fact]
    public void TryParse_Certificate_SubjectIssuerAndValidityAsIssued()
    {
        var spec = CertificateSpec.ClientAuth with
        {
            Subject = "CN=Alice, O=Example",
            NotBefore = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            NotAfter = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
        };

        var facts = Parse(TestKeys.P256, spec);

        // RFC 4514 strings, the same form the server probe reports certificate_authorities in.
        Assert.Equal("CN=Alice,O=Example", facts.Subject);
        Assert.Equal(DistinguishedNameFormatter.Format(TestCa.Name.RawData), facts.Issuer);
        Assert.Equal(spec.NotBefore, facts.NotBefore);
        Assert.Equal(spec.NotAfter, facts.NotAfter);
        Assert.Equal(TimeSpan.Zero, facts.NotAfter.Offset);
        Assert.Matches("^[0-9a-f]+$", facts.SerialNumber);
    }

    [Theory]
    [InlineData("rsa2048", "rsaEncryption")]
    [InlineData("rsa2048-pss-spki", "id-RSASSA-PSS")]
    [InlineData("p256", "id-ecPublicKey")]
    [InlineData("ed25519", "id-Ed25519")]
    public void TryParse_SubjectPublicKeyInfo_AlgorithmName(string name, string algorithm)
    {
        TestKey[] keys = [TestKeys.Rsa2048, TestKeys.Rsa2048.AsRsaPssCertified(), TestKeys.P256, TestKeys.Ed25519];

        var facts = Parse(keys.Single(k => k.Name == name), CertificateSpec.ClientAuth);

        Assert.Equal(algorithm, facts.PublicKeyAlgorithm);
    }

    [Fact]
    public void TryParse_EcCertificate_SubjectPublicKeyIsTheBarePoint()
    {
        var facts = Parse(TestKeys.P384, CertificateSpec.ClientAuth);

        Assert.Equal<byte>(TestKeys.P384.BarePoint, facts.SubjectPublicKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3003020101")]
    [InlineData("0401ff")]
    public void TryParse_NotACertificate_Null(string hex) =>
        Assert.Null(CertificateFacts.TryParse(Convert.FromHexString(hex)));

    [Fact]
    public void TryReadRsaPublicKey_RsaCertificate_ModulusAndExponentOfTheKey()
    {
        var facts = Parse(TestKeys.Rsa2048, CertificateSpec.ClientAuth);

        var rsa = CertificateFacts.TryReadRsaPublicKey(facts.SubjectPublicKey.AsSpan());

        Assert.NotNull(rsa);
        Assert.Equal<byte>(KeyMaterial.TrimLeadingZeros(TestKeys.Rsa2048.Modulus.AsSpan()), rsa.Value.Modulus);
        Assert.Equal<byte>([0x01, 0x00, 0x01], rsa.Value.Exponent);
    }

    [Fact]
    public void TryReadRsaPublicKey_EcPoint_Null() =>
        Assert.Null(CertificateFacts.TryReadRsaPublicKey(TestKeys.P256.BarePoint.AsSpan()));

    [Fact]
    public void TryReadRsaPublicKey_KeysDiffer_ModuliDiffer()
    {
        ImmutableArray<byte> Modulus(TestKey k) => CertificateFacts.TryReadRsaPublicKey(Parse(k, CertificateSpec.ClientAuth).SubjectPublicKey.AsSpan())!.Value.Modulus;

        Assert.NotEqual<byte>(Modulus(TestKeys.Rsa2048), Modulus(TestKeys.Rsa2048Other));
    }
}
