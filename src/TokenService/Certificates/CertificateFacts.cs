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
    /// <summary>
    /// The issuer as RFC 4514 (<see cref="DistinguishedNameFormatter"/>), the form the server probe gives
    /// certificate_authorities in; compare with <see cref="DistinguishedNames.Same"/>. <see cref="Issuer"/> is .NET's
    /// display form (", " between RDNs, quoted values), which is not.
    /// </summary>
    public required string IssuerRfc4514 { get; init; }
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

    public bool HasDigitalSignature => KeyUsage is null || KeyUsage.Value.Contains("digitalSignature");

    /// <summary>anyExtendedKeyUsage also satisfies a TLS client (RFC 5280 §4.2.1.12).</summary>
    public bool AllowsClientAuth => ExtendedKeyUsage is null
        || ExtendedKeyUsage.Value.Contains("clientAuth")
        || ExtendedKeyUsage.Value.Contains("anyExtendedKeyUsage");

    public const string RsaEncryption = "rsaEncryption";
    public const string RsaPss = "id-RSASSA-PSS";
    public const string EcPublicKey = "id-ecPublicKey";

    /// <summary>Parses a DER certificate; null when it is not one (the report says so instead of failing).</summary>
    public static CertificateFacts? TryParse(ReadOnlySpan<byte> der)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            ImmutableArray<string>? keyUsage = null;
            ImmutableArray<string>? eku = null;
            foreach (var ext in cert.Extensions)
            {
                switch (ext)
                {
                    case X509KeyUsageExtension ku:
                        keyUsage = KeyUsageNames(ku.KeyUsages);
                        break;
                    case X509EnhancedKeyUsageExtension e:
                        eku = [.. e.EnhancedKeyUsages.Cast<Oid>().Select(o => EkuName(o.Value ?? ""))];
                        break;
                }
            }

            return new CertificateFacts
            {
                Subject = cert.Subject,
                Issuer = cert.Issuer,
                IssuerRfc4514 = DistinguishedNameFormatter.Format(cert.IssuerName.RawData),
                SerialNumber = cert.SerialNumber.ToLowerInvariant(),
                NotBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                KeyUsage = keyUsage,
                ExtendedKeyUsage = eku,
                PublicKeyAlgorithm = AlgorithmName(cert.PublicKey.Oid.Value ?? ""),
                SubjectPublicKey = [.. cert.PublicKey.EncodedKeyValue.RawData],
            };
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static ImmutableArray<string> KeyUsageNames(X509KeyUsageFlags flags)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        void Add(X509KeyUsageFlags f, string n)
        {
            if ((flags & f) != 0)
            {
                names.Add(n);
            }
        }

        Add(X509KeyUsageFlags.DigitalSignature, "digitalSignature");
        Add(X509KeyUsageFlags.NonRepudiation, "nonRepudiation");
        Add(X509KeyUsageFlags.KeyEncipherment, "keyEncipherment");
        Add(X509KeyUsageFlags.DataEncipherment, "dataEncipherment");
        Add(X509KeyUsageFlags.KeyAgreement, "keyAgreement");
        Add(X509KeyUsageFlags.KeyCertSign, "keyCertSign");
        Add(X509KeyUsageFlags.CrlSign, "cRLSign");
        Add(X509KeyUsageFlags.EncipherOnly, "encipherOnly");
        Add(X509KeyUsageFlags.DecipherOnly, "decipherOnly");
        return names.ToImmutable();
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
