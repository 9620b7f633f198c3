using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TokenService.Tests.Unit.TestData;

/// <summary>What a test certificate says: its extensions and validity (RFC 5280 §4.1.2.5, §4.2.1.3, §4.2.1.12).</summary>
internal sealed record CertificateSpec
{
    /// <summary>Null: no keyUsage extension at all.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; } = X509KeyUsageFlags.DigitalSignature;
    /// <summary>Null: no extendedKeyUsage extension at all.</summary>
    public ImmutableArray<string>? ExtendedKeyUsage { get; init; } = [Oids.ClientAuth];
    public DateTimeOffset NotBefore { get; init; } = TestClock.ValidFrom;
    public DateTimeOffset NotAfter { get; init; } = TestClock.ValidUntil;
    public string Subject { get; init; } = "CN=Test User, O=TokenService Tests";
    /// <summary>True: basicConstraints cA TRUE (an issuer certificate, as some cards carry beside the holder's).</summary>
    public bool CertificateAuthority { get; init; }

    public static CertificateSpec ClientAuth { get; } = new();

    public static CertificateSpec Expired { get; } = new() { NotBefore = TestClock.Now.AddYears(-3), NotAfter = TestClock.Now.AddDays(-1) };

    public static CertificateSpec NotYetValid { get; } = new() { NotBefore = TestClock.Now.AddDays(1), NotAfter = TestClock.Now.AddYears(3) };

    /// <summary>keyUsage without digitalSignature (an encryption-only certificate).</summary>
    public static CertificateSpec NoDigitalSignature { get; } = new() { KeyUsage = X509KeyUsageFlags.KeyEncipherment };

    public static CertificateSpec ServerAuthOnly { get; } = new() { ExtendedKeyUsage = [Oids.ServerAuth] };
}

/// <summary>An in-memory P-256 CA that issues the test certificates (the issuer's key type does not matter to the rules).</summary>
internal static class TestCa
{
    public static readonly X500DistinguishedName Name = new("CN=TokenService Test CA, O=TokenService Tests");

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.CreateFromValue(Oids.P256));
    private static readonly Lock Gate = new();
    private static long serial = 0x1000;

    /// <summary>Issues a DER certificate for <paramref name="key"/> as <paramref name="spec"/> describes.</summary>
    public static ImmutableArray<byte> Issue(TestKey key, CertificateSpec spec)
    {
        // One signer shared by parallel test classes: OpenSSL key objects are not documented as thread-safe.
        lock (Gate)
        {
            return Issue(key, spec, Name, X509SignatureGenerator.CreateForECDsa(Key), BitConverter.GetBytes(++serial).Reverse().ToArray());
        }
    }

    /// <summary>Issues with a given issuer, signer and serial (deterministic with an RSA PKCS#1 v1.5 signer).</summary>
    public static ImmutableArray<byte> Issue(TestKey key, CertificateSpec spec, X500DistinguishedName issuer, X509SignatureGenerator signer, byte[] serialNumber)
    {
        var request = new CertificateRequest(new X500DistinguishedName(spec.Subject), key.CertificateKey, HashAlgorithmName.SHA256);
        if (spec.CertificateAuthority)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        }

        if (spec.KeyUsage is { } ku)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(ku, critical: true));
        }

        if (spec.ExtendedKeyUsage is { } eku)
        {
            var oids = new OidCollection();
            foreach (var oid in eku)
            {
                oids.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
        }

        using var cert = request.Create(issuer, signer, spec.NotBefore, spec.NotAfter, serialNumber);
        return [.. cert.RawData];
    }
}
