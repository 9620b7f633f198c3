using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using Xunit;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>The inventory against SoftHSM, with pkcs11-tool (OpenSC) as the reference reader.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11InventoryTests(SoftHsmFixture softHsm)
{
    // DER of the named-curve OID 1.2.840.10045.3.1.7 (prime256v1), RFC 5480 §2.1.1.1.
    private static readonly byte[] P256Parameters = Convert.FromHexString("06082A8648CE3D030107");

    [Fact]
    public void Read_WithPin_MechanismsEqualPkcs11ToolMechanismList()
    {
        var token = ReadToken(SoftHsmFixture.UserPin);
        var expected = Pkcs11ToolOutput.ParseMechanisms(softHsm.Pkcs11Tool("-M"));

        var actual = token.Mechanisms
            .Select(m => new Pkcs11ToolOutput.Mechanism(m.Type, m.MinKeySize, m.MaxKeySize, m.Flags))
            .ToList();
        Assert.Equal(SoftHsmFixture.WhitelistedMechanisms.Length, expected.Count);
        Assert.Equal(expected.OrderBy(m => m.Type), actual.OrderBy(m => m.Type));
    }

    [Fact]
    public void Read_WithPin_SignatureMechanismsAreTheWhitelistedOnes()
    {
        var token = ReadToken(SoftHsmFixture.UserPin);

        var signing = token.Mechanisms.Where(m => m.CanSign).Select(m => Mechanisms.NameOf(m.Type)).Order();
        Assert.Equal(["CKM_ECDSA", "CKM_EDDSA", "CKM_RSA_PKCS", "CKM_RSA_X_509", "CKM_SHA256_RSA_PKCS"], signing);
    }

    [Fact]
    public void Read_RestrictedModule_ReportsPssAnsweredByGetMechanismInfoThoughUnlisted()
    {
        var token = ReadToken(pin: null);

        var unlisted = token.UnlistedMechanismsAnswered;
        Assert.Equal([Mechanisms.RsaPkcsPss, Mechanisms.Sha256RsaPkcsPss], unlisted.Select(m => m.Type).Order());
        Assert.All(unlisted, m => Assert.True(m.CanSign));
        Assert.DoesNotContain(token.Mechanisms, m => unlisted.Any(u => u.Type == m.Type));
    }

    [Fact]
    public void Read_WithPin_KeysAndCertificatesEqualPkcs11ToolLoggedInObjectList()
    {
        var token = ReadToken(SoftHsmFixture.UserPin);
        var expected = Pkcs11ToolOutput.ParseObjects(softHsm.Pkcs11ToolLoggedIn("-O"));

        Assert.Equal(LoginOutcome.LoggedIn, token.Login);
        Assert.Equal(Describe(expected, "Private Key"), token.PrivateKeys.Select(k => Describe(k.Id, k.Label, k.Kind)).Order());
        Assert.Equal(Describe(expected, "Public Key"), token.PublicKeys.Select(k => Describe(k.Id, k.Label, k.Kind)).Order());
        Assert.Equal(expected.Count(o => o.Class == "Certificate"), token.Certificates.Length);
        Assert.Equal(3, token.PrivateKeys.Length);
    }

    [Fact]
    public void Read_WithoutPin_HidesPrivateKeysLikePkcs11ToolWithoutLogin()
    {
        var token = ReadToken(pin: null);
        var expected = Pkcs11ToolOutput.ParseObjects(softHsm.Pkcs11Tool("-O"));

        Assert.Equal(LoginOutcome.NotAttempted, token.Login);
        Assert.Null(token.LoginMessage);
        Assert.Empty(token.PrivateKeys);
        Assert.DoesNotContain(expected, o => o.Class == "Private Key");
        Assert.Equal(Describe(expected, "Public Key"), token.PublicKeys.Select(k => Describe(k.Id, k.Label, k.Kind)).Order());
        Assert.Single(token.Certificates);
    }

    [Fact]
    public void Read_WithPin_PrivateKeysCarryTheAttributesThatDecideSigning()
    {
        var token = ReadToken(SoftHsmFixture.UserPin);

        var rsa = Assert.Single(token.PrivateKeys, k => k.Kind == KeyKind.Rsa);
        Assert.Equal<byte>([0x01], rsa.Id);
        Assert.Equal("rsa-2048", rsa.Label);
        Assert.Equal(256, rsa.Modulus.Length);
        Assert.Equal<byte>([0x01, 0x00, 0x01], rsa.PublicExponent);
        Assert.True(rsa.Sign && rsa.Private && rsa.Sensitive);
        Assert.False(rsa.Extractable || rsa.AlwaysAuthenticate);

        var ec = Assert.Single(token.PrivateKeys, k => k.Kind == KeyKind.Ec);
        Assert.Equal<byte>(P256Parameters, ec.EcParams);
        Assert.Empty(ec.Modulus);
        Assert.True(ec.Sign);

        var ed = Assert.Single(token.PrivateKeys, k => k.Kind == KeyKind.EcEdwards);
        Assert.Equal(0x40UL, ed.KeyType);
        Assert.NotEmpty(ed.EcParams);
    }

    [Fact]
    public void Read_WithPin_PublicKeysAndCertificateMatchTheKeyPairs()
    {
        var token = ReadToken(SoftHsmFixture.UserPin);

        var rsaPrivate = Assert.Single(token.PrivateKeys, k => k.Kind == KeyKind.Rsa);
        var rsaPublic = Assert.Single(token.PublicKeys, k => k.Kind == KeyKind.Rsa);
        Assert.Equal(2048, rsaPublic.ModulusBits);
        Assert.Equal<byte>(rsaPrivate.Modulus, rsaPublic.Modulus);

        var ecPublic = Assert.Single(token.PublicKeys, k => k.Kind == KeyKind.Ec);
        Assert.Equal<byte>(P256Parameters, ecPublic.EcParams);
        // DER OCTET STRING (0x04, length 65) around an uncompressed P-256 point (0x04 || X || Y).
        Assert.Equal(67, ecPublic.EcPoint.Length);

        var certificate = Assert.Single(token.Certificates);
        Assert.Equal<byte>([0x01], certificate.Id);
        Assert.Equal("rsa-2048-cert", certificate.Label);
        Assert.Equal<byte>(softHsm.CertificateDer, certificate.Value);
        using var parsed = X509CertificateLoader.LoadCertificate(certificate.Value.AsSpan());
        using var publicKey = parsed.GetRSAPublicKey();
        Assert.NotNull(publicKey);
        Assert.Equal<byte>(rsaPublic.Modulus, publicKey.ExportParameters(false).Modulus);
    }

    [Fact]
    public void Read_ByLabel_DescribesModuleAndTokenFromGetInfoAndGetTokenInfo()
    {
        var module = Pkcs11Inventory.Read(SoftHsmFixture.ModulePath, new InventoryRequest { TokenLabel = SoftHsmFixture.TokenLabel });

        Assert.Equal(SoftHsmFixture.ModulePath, module.ModulePath);
        Assert.Equal("SoftHSM", module.ManufacturerId);
        var token = Assert.Single(module.Tokens);
        Assert.Equal(SoftHsmFixture.TokenLabel, token.Label);
        Assert.Equal("SoftHSM project", token.Manufacturer);
        Assert.Equal(16, token.SerialNumber.Length);
        Assert.StartsWith("SoftHSM slot ID", token.SlotDescription, StringComparison.Ordinal);
        Assert.Equal(TokenFlags.TokenInitialized, token.Flags & TokenFlags.TokenInitialized);
        Assert.Equal(TokenFlags.LoginRequired, token.Flags & TokenFlags.LoginRequired);
    }

    [Fact]
    public void Read_LabelNotPresent_ReturnsNoTokens()
    {
        var module = Pkcs11Inventory.Read(SoftHsmFixture.ModulePath, new InventoryRequest { TokenLabel = "no-such-token" });

        Assert.Empty(module.Tokens);
    }

    private static TokenSnapshot ReadToken(string? pin) =>
        Assert.Single(SoftHsmFixture.Read(SoftHsmFixture.ModulePath, SoftHsmFixture.TokenLabel, pin).Tokens);

    private static IEnumerable<string> Describe(IEnumerable<Pkcs11ToolOutput.ObjectEntry> objects, string objectClass) =>
        objects.Where(o => o.Class == objectClass).Select(o => $"{o.IdHex}|{o.Label}|{o.Type}").Order();

    // pkcs11-tool names key types RSA, EC and EC_EDWARDS.
    private static string Describe(ImmutableArray<byte> id, string? label, KeyKind kind) =>
        $"{Convert.ToHexString(id.AsSpan())}|{label}|{kind switch { KeyKind.Rsa => "RSA", KeyKind.Ec => "EC", KeyKind.EcEdwards => "EC_EDWARDS", _ => "?" }}";
}
