using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Drivers.Snapshots;

namespace TokenService.Tests.Unit.TestData;

/// <summary>
/// Public key material of one real key pair, in the shapes a PKCS#11 token reports it: CKA_MODULUS and
/// CKA_PUBLIC_EXPONENT for RSA, CKA_EC_PARAMS (DER OID) and CKA_EC_POINT (DER OCTET STRING) for EC and Edwards.
/// </summary>
internal sealed record TestKey
{
    public required string Name { get; init; }
    public required KeyKind Kind { get; init; }
    /// <summary>The SubjectPublicKeyInfo a certificate for this key carries.</summary>
    public required PublicKey CertificateKey { get; init; }
    public ImmutableArray<byte> Modulus { get; init; } = [];
    public ImmutableArray<byte> PublicExponent { get; init; } = [];
    public ImmutableArray<byte> EcParams { get; init; } = [];
    /// <summary>The bare point: 04‖X‖Y for Weierstrass curves, the 32-byte key for Ed25519.</summary>
    public ImmutableArray<byte> BarePoint { get; init; } = [];

    /// <summary>CKA_EC_POINT as PKCS#11 v3.0 §2.3.3 stores it: a DER OCTET STRING around the point.</summary>
    public ImmutableArray<byte> WrappedPoint => BarePoint.IsDefaultOrEmpty ? [] : [.. DerOctetString(BarePoint.AsSpan())];

    public static TestKey FromRsa(string name, RSAParameters p) => new()
    {
        Name = name,
        Kind = KeyKind.Rsa,
        CertificateKey = RsaPublicKey(p, Oids.RsaEncryption),
        Modulus = [.. p.Modulus!],
        PublicExponent = [.. p.Exponent!],
    };

    public static TestKey FromEc(string name, string curveOid, ECParameters p) => new()
    {
        Name = name,
        Kind = KeyKind.Ec,
        CertificateKey = EcPublicKey(p),
        EcParams = [.. DerOid(curveOid)],
        BarePoint = [0x04, .. p.Q.X!, .. p.Q.Y!],
    };

    /// <summary>
    /// .NET has no Ed25519, so the key is 32 fixed bytes (any 32 bytes are a syntactically valid Ed25519
    /// public key for these rules, RFC 8032 §5.1.5); CKA_EC_PARAMS is the id-Ed25519 OID (RFC 8410 §3).
    /// </summary>
    public static TestKey Ed25519(string name, byte seed) => new()
    {
        Name = name,
        Kind = KeyKind.EcEdwards,
        CertificateKey = new PublicKey(new Oid(Oids.Ed25519), null, new AsnEncodedData(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray())),
        EcParams = [.. DerOid(Oids.Ed25519)],
        BarePoint = [.. Enumerable.Range(seed, 32).Select(i => (byte)i)],
    };

    /// <summary>The same RSA key, but certified as id-RSASSA-PSS (RFC 4055 §1.2; parameters absent).</summary>
    public TestKey AsRsaPssCertified() => this with
    {
        Name = Name + "-pss-spki",
        CertificateKey = new PublicKey(new Oid(Oids.RsaPss), null, CertificateKey.EncodedKeyValue),
    };

    public override string ToString() => Name;

    public static byte[] DerOid(string oid)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteObjectIdentifier(oid);
        return w.Encode();
    }

    public static byte[] DerOctetString(ReadOnlySpan<byte> content)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteOctetString(content);
        return w.Encode();
    }

    private static PublicKey RsaPublicKey(RSAParameters p, string oid)
    {
        using var rsa = RSA.Create(p);
        return new PublicKey(new Oid(oid), new AsnEncodedData([0x05, 0x00]), new AsnEncodedData(rsa.ExportRSAPublicKey()));
    }

    private static PublicKey EcPublicKey(ECParameters p)
    {
        using var ec = ECDsa.Create(p);
        return new PublicKey(ec);
    }
}

/// <summary>
/// Real keys made once per test run with System.Security.Cryptography (RSA generation is the slow part,
/// so each size is made once and shared; records are immutable, so sharing is safe).
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<TestKey> rsa2048 = new(() => Rsa("rsa2048", 2048));
    private static readonly Lazy<TestKey> rsa2048Other = new(() => Rsa("rsa2048-other", 2048));
    private static readonly Lazy<TestKey> rsa1024 = new(() => Rsa("rsa1024", 1024));
    private static readonly Lazy<TestKey> p256 = new(() => Ec("p256", Oids.P256));
    private static readonly Lazy<TestKey> p256Other = new(() => Ec("p256-other", Oids.P256));
    private static readonly Lazy<TestKey> p384 = new(() => Ec("p384", Oids.P384));
    private static readonly Lazy<TestKey> p521 = new(() => Ec("p521", Oids.P521));
    private static readonly Lazy<TestKey> secp256k1 = new(() => Ec("secp256k1", Oids.Secp256k1));
    private static readonly Lazy<TestKey> brainpoolP256 = new(() => Ec("brainpoolP256r1", Oids.BrainpoolP256));

    public static TestKey Rsa2048 => rsa2048.Value;
    /// <summary>A second RSA-2048 key: the "wrong" key of a mismatched certificate.</summary>
    public static TestKey Rsa2048Other => rsa2048Other.Value;
    public static TestKey Rsa1024 => rsa1024.Value;
    public static TestKey P256 => p256.Value;
    public static TestKey P256Other => p256Other.Value;
    public static TestKey P384 => p384.Value;
    public static TestKey P521 => p521.Value;
    public static TestKey Secp256k1 => secp256k1.Value;
    public static TestKey BrainpoolP256 => brainpoolP256.Value;
    public static TestKey Ed25519 { get; } = TestKey.Ed25519("ed25519", 0x20);

    private static TestKey Rsa(string name, int bits)
    {
        using var rsa = RSA.Create(bits);
        return TestKey.FromRsa(name, rsa.ExportParameters(false));
    }

    private static TestKey Ec(string name, string curveOid)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromValue(curveOid));
        return TestKey.FromEc(name, curveOid, ec.ExportParameters(false));
    }
}

/// <summary>Object identifiers the tests name (RFC 5480 §2.1.1.1, SEC 2, RFC 5639, RFC 8410, RFC 8017 App. C).</summary>
internal static class Oids
{
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";
    public const string Secp256k1 = "1.3.132.0.10";
    public const string BrainpoolP256 = "1.3.36.3.3.2.8.1.1.7";
    public const string Ed25519 = "1.3.101.112";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string SmartcardLogon = "1.3.6.1.4.1.311.20.2.2";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";
}
