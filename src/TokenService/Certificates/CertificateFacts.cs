using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TokenService.Certificates;

/// <summary>What the rules need from an X.509 certificate, parsed once from its DER.</summary>
internal sealed record CertificateFacts
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required string SerialNumber { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    /// <summary>keyUsage bit names; null when the extension is absent (RFC 5280 §4.2.1.3).</summary>
    public ImmutableArray<string>? KeyUsage { get; init; }
    /// <summary>extendedKeyUsage names or OIDs; null when absent (RFC 5280 §4.2.1.12).</summary>
    public ImmutableArray<string>? ExtendedKeyUsage { get; init; }
    /// <summary>The SubjectPublicKeyInfo algorithm name.</summary>
    public required string PublicKeyAlgorithm { get; init; }
    /// <summary>The subjectPublicKey BIT STRING contents (RSAPublicKey DER, EC point, or raw Ed key).</summary>
    public required ImmutableArray<byte> SubjectPublicKey { get; init; }
    /// <summary>
    /// The key's curve as an OID: the namedCurve parameter of id-ecPublicKey (RFC 5480 §2.1.1), or the algorithm
    /// itself for Ed25519/Ed448 (RFC 8410 §3); null for RSA and for EC keys with explicit parameters.
    /// </summary>
    public string? CurveOid { get; init; }

    /// <summary>basicConstraints says cA TRUE (RFC 5280 §4.2.1.9): an issuer's certificate, not an end entity's.</summary>
    public bool IsCertificateAuthority { get; init; }

    public bool HasDigitalSignature => KeyUsage is null || KeyUsage.Value.Contains("digitalSignature");

    /// <summary>anyExtendedKeyUsage also satisfies a TLS client (RFC 5280 §4.2.1.12).</summary>
    public bool AllowsClientAuth => ExtendedKeyUsage is null
        || ExtendedKeyUsage.Value.Contains("clientAuth")
        || ExtendedKeyUsage.Value.Contains("anyExtendedKeyUsage");

    public const string RsaEncryption = "rsaEncryption";
    public const string RsaPss = "id-RSASSA-PSS";
    public const string EcPublicKey = "id-ecPublicKey";

    /// <summary>
    /// Parses a DER certificate (RFC 5280 §4.1) with the managed ASN.1 reader; null when it is not one (the
    /// report says so instead of failing). Managed on purpose: X509Certificate2 would initialise .NET's
    /// OpenSSL shim (libssl, configuration), which a one-shot `check` should not pay for; X500DistinguishedName.Name
    /// would too (its OID names come from OpenSSL), so names are RFC 4514 strings from our own formatter, the
    /// same form the server probe gives certificate_authorities in.
    /// </summary>
    public static CertificateFacts? TryParse(ReadOnlySpan<byte> der)
    {
        try
        {
            var certificate = new AsnReader(der.ToArray(), AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadSequence();
            var version = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(version))
            {
                tbs.ReadSequence(version);
            }

            var serial = tbs.ReadIntegerBytes();
            tbs.ReadSequence(); // signature AlgorithmIdentifier
            var issuer = tbs.ReadEncodedValue();
            var validity = tbs.ReadSequence();
            var notBefore = ReadTime(validity);
            var notAfter = ReadTime(validity);
            var subject = tbs.ReadEncodedValue();
            var spki = tbs.ReadSequence();
            var algorithmIdentifier = spki.ReadSequence();
            var algorithm = algorithmIdentifier.ReadObjectIdentifier();
            var curveOid = algorithm is "1.3.101.112" or "1.3.101.113" ? algorithm
                : algorithm == "1.2.840.10045.2.1" && algorithmIdentifier.HasData && algorithmIdentifier.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier)
                    ? algorithmIdentifier.ReadObjectIdentifier()
                    : null;
            var publicKey = spki.ReadBitString(out _);

            ImmutableArray<string>? keyUsage = null;
            ImmutableArray<string>? eku = null;
            var isCa = false;
            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            while (tbs.HasData)
            {
                var tag = tbs.PeekTag();
                if (!tag.HasSameClassAndValue(extensionsTag))
                {
                    tbs.ReadEncodedValue(); // issuerUniqueID / subjectUniqueID
                    continue;
                }

                var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
                while (extensions.HasData)
                {
                    var extension = extensions.ReadSequence();
                    var oid = extension.ReadObjectIdentifier();
                    if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                    {
                        extension.ReadBoolean();
                    }

                    var value = extension.ReadOctetString();
                    switch (oid)
                    {
                        case "2.5.29.15":
                            keyUsage = KeyUsageNames(new AsnReader(value, AsnEncodingRules.DER).ReadNamedBitListValue<X509KeyUsageFlagsDer>());
                            break;
                        case "2.5.29.19":
                            var constraints = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                            isCa = constraints.HasData && constraints.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && constraints.ReadBoolean();
                            break;
                        case "2.5.29.37":
                            var list = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                            var names = ImmutableArray.CreateBuilder<string>();
                            while (list.HasData)
                            {
                                names.Add(EkuName(list.ReadObjectIdentifier()));
                            }

                            eku = names.ToImmutable();
                            break;
                    }
                }
            }

            return new CertificateFacts
            {
                Subject = DistinguishedNameFormatter.Format(subject),
                Issuer = DistinguishedNameFormatter.Format(issuer),
                SerialNumber = Convert.ToHexStringLower(serial.Span),
                NotBefore = notBefore,
                NotAfter = notAfter,
                KeyUsage = keyUsage,
                ExtendedKeyUsage = eku,
                PublicKeyAlgorithm = AlgorithmName(algorithm),
                SubjectPublicKey = [.. publicKey],
                CurveOid = curveOid,
                IsCertificateAuthority = isCa,
            };
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>KeyUsage bits in DER NamedBitList order (RFC 5280 §4.2.1.3).</summary>
    [Flags]
    private enum X509KeyUsageFlagsDer
    {
        None = 0,
        DigitalSignature = 1 << 0,
        NonRepudiation = 1 << 1,
        KeyEncipherment = 1 << 2,
        DataEncipherment = 1 << 3,
        KeyAgreement = 1 << 4,
        KeyCertSign = 1 << 5,
        CrlSign = 1 << 6,
        EncipherOnly = 1 << 7,
        DecipherOnly = 1 << 8,
    }

    private static ImmutableArray<string> KeyUsageNames(X509KeyUsageFlagsDer flags)
    {
        (X509KeyUsageFlagsDer Flag, string Name)[] names =
        [
            (X509KeyUsageFlagsDer.DigitalSignature, "digitalSignature"),
            (X509KeyUsageFlagsDer.NonRepudiation, "nonRepudiation"),
            (X509KeyUsageFlagsDer.KeyEncipherment, "keyEncipherment"),
            (X509KeyUsageFlagsDer.DataEncipherment, "dataEncipherment"),
            (X509KeyUsageFlagsDer.KeyAgreement, "keyAgreement"),
            (X509KeyUsageFlagsDer.KeyCertSign, "keyCertSign"),
            (X509KeyUsageFlagsDer.CrlSign, "cRLSign"),
            (X509KeyUsageFlagsDer.EncipherOnly, "encipherOnly"),
            (X509KeyUsageFlagsDer.DecipherOnly, "decipherOnly"),
        ];
        return [.. names.Where(n => flags.HasFlag(n.Flag)).Select(n => n.Name)];
    }

    private static string EkuName(string oid) => oid switch
    {
        "1.3.6.1.5.5.7.3.1" => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.4.1.311.20.2.2" => "msSmartcardLogin",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        _ => oid,
    };

    private static string AlgorithmName(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => RsaEncryption,
        "1.2.840.113549.1.1.10" => RsaPss,
        "1.2.840.10045.2.1" => EcPublicKey,
        "1.3.101.112" => "id-Ed25519",
        "1.3.101.113" => "id-Ed448",
        _ => oid,
    };

    /// <summary>Reads modulus and exponent from an RSAPublicKey (RFC 8017 §A.1.1), minimal big-endian.</summary>
    public static (ImmutableArray<byte> Modulus, ImmutableArray<byte> Exponent)? TryReadRsaPublicKey(ReadOnlySpan<byte> rsaPublicKey)
    {
        try
        {
            var reader = new AsnReader(rsaPublicKey.ToArray(), AsnEncodingRules.DER);
            var seq = reader.ReadSequence();
            var n = seq.ReadIntegerBytes().Span;
            var e = seq.ReadIntegerBytes().Span;
            return (KeyMaterial.TrimLeadingZeros(n), KeyMaterial.TrimLeadingZeros(e));
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
