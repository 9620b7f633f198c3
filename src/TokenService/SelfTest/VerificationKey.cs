using System.Collections.Immutable;
using TokenService.Certificates;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>
/// The public key a self-test signature is checked with, and where it came from. A server checks
/// CertificateVerify with the certificate's key (RFC 8446 §4.4.3, RFC 5246 §7.4.8), so that one comes first.
/// </summary>
/// <param name="Point">EC: the uncompressed point (04 ‖ X ‖ Y); Edwards: the raw public key.</param>
/// <param name="Source">Which key, in words, for the report.</param>
internal sealed record VerificationKey(
    KeyKind Kind,
    string? Curve,
    ImmutableArray<byte> Modulus,
    ImmutableArray<byte> Exponent,
    ImmutableArray<byte> Point,
    string Source)
{
    /// <summary>
    /// The certificate's public key when it is this key's (compared, or paired by CKA_ID when the token shows
    /// no public key to compare with); otherwise the public key the token exposes. Null, with the reason, when
    /// there is nothing to verify with.
    /// </summary>
    public static (VerificationKey? Key, string? Missing) For(KeyFacts key)
    {
        if (key.Certificate is { } cert && (key.CertificateMatchesKey || key.CertificateMatchUnverified)
            && FromCertificate(key, cert) is { } fromCertificate)
        {
            return (fromCertificate, null);
        }

        var why = key.CertificateObject is null ? "no certificate on the token"
            : key.Certificate is null ? "the certificate is unreadable"
            : "the certificate holds another key";
        var source = $"the token's public key ({why})";
        return key.Kind switch
        {
            KeyKind.Rsa when !key.PublicModulus.IsDefaultOrEmpty && !key.PublicExponent.IsDefaultOrEmpty =>
                (new VerificationKey(KeyKind.Rsa, null, key.PublicModulus, key.PublicExponent, [], source), null),
            KeyKind.Ec or KeyKind.EcEdwards when !key.PublicPoint.IsDefaultOrEmpty && key.Curve is not null =>
                (new VerificationKey(key.Kind, key.Curve, [], [], key.PublicPoint, source), null),
            _ => (null, $"nothing to verify a signature with: {why}, and the token exposes no public key for it"),
        };
    }

    private static VerificationKey? FromCertificate(KeyFacts key, CertificateFacts cert)
    {
        var source = key.CertificateMatchesKey
            ? "the certificate's public key"
            : "the certificate's public key (paired with the key by CKA_ID only)";
        switch (key.Kind)
        {
            case KeyKind.Rsa:
                return CertificateFacts.TryReadRsaPublicKey(cert.SubjectPublicKey.AsSpan()) is { } rsa
                    ? new VerificationKey(KeyKind.Rsa, null, rsa.Modulus, rsa.Exponent, [], source)
                    : null;
            case KeyKind.Ec or KeyKind.EcEdwards when key.Curve is not null:
                return new VerificationKey(key.Kind, key.Curve, [], [], cert.SubjectPublicKey, source);
            default:
                return null;
        }
    }
}
