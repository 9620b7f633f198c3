using System.Collections.Immutable;
using TokenService.Certificates;

namespace TokenService.Verdicts;

/// <summary>The server a prediction is made against: what its CertificateRequest lists and what it refuses.</summary>
internal sealed record ServerModel
{
    public const string StockSource = "stock-openssl3";
    public const string GivenSource = "given";
    public const string ProbedSource = "probed";

    public required string Source { get; init; }
    public string? Endpoint { get; init; }
    /// <summary>CertificateRequest signature_algorithms for TLS 1.3 (RFC 8446 §4.3.2), in the server's order.</summary>
    public required ImmutableArray<ushort> Tls13Schemes { get; init; }
    /// <summary>CertificateRequest supported_signature_algorithms for TLS 1.2 (RFC 5246 §7.4.4), in order.</summary>
    public required ImmutableArray<ushort> Tls12Schemes { get; init; }
    /// <summary>Smallest RSA client key accepted (OpenSSL security level 2: 2048 bits).</summary>
    public int MinRsaBits { get; init; } = 2048;
    /// <summary>
    /// An OpenSSL TLS 1.2 server requires an ECDSA client key's curve to be one the client offered in
    /// supported_groups (docs/tls-client-auth.md §7: P-521 with Chromium).
    /// </summary>
    public bool RequiresClientCurveOfferedInTls12 { get; init; } = true;
    /// <summary>certificate_authorities as RFC 4514 strings, or null when the server names none.</summary>
    public ImmutableArray<string>? CertificateAuthorities { get; init; }
    /// <summary>The server negotiates TLS 1.3 (answers a TLS 1.3-only ClientHello with a TLS 1.3 ServerHello).</summary>
    public bool AcceptsTls13 { get; init; } = true;
    /// <summary>The server negotiates TLS 1.2.</summary>
    public bool AcceptsTls12 { get; init; } = true;
    /// <summary>The server sends a CertificateRequest in TLS 1.3 (RFC 8446 §4.3.2): without one no client authenticates.</summary>
    public bool RequestsCertificateTls13 { get; init; } = true;
    /// <summary>The server sends a CertificateRequest in TLS 1.2 (RFC 5246 §7.4.4).</summary>
    public bool RequestsCertificateTls12 { get; init; } = true;

    public ImmutableArray<ushort> SchemesFor(TlsVersion version) => version == TlsVersion.Tls13 ? Tls13Schemes : Tls12Schemes;

    public bool Accepts(TlsVersion version) => version == TlsVersion.Tls13 ? AcceptsTls13 : AcceptsTls12;

    public bool RequestsCertificate(TlsVersion version) => version == TlsVersion.Tls13 ? RequestsCertificateTls13 : RequestsCertificateTls12;

    /// <summary>
    /// Whether certificate_authorities (RFC 8446 §4.2.4; RFC 5246 §7.4.4) names the certificate's issuer, compared as
    /// RFC 5280 §7.1 names; true when the server names no CA. Only the issuer of the certificate itself is compared:
    /// the token holds no chain, so a list naming only a root above an intermediate issuer counts as not naming it.
    /// </summary>
    public bool NamesIssuerOf(CertificateFacts certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CertificateAuthorities is not { IsDefaultOrEmpty: false } names
            || names.Any(name => DistinguishedNames.Same(name, certificate.Issuer));
    }

    public bool Offers(SignatureScheme scheme, TlsVersion version) => SchemesFor(version).Contains(scheme.Code);

    /// <summary>
    /// Stock `openssl s_server -Verify 1` (OpenSSL 3.0.19, Debian 12, security level 2), exactly as the server
    /// probe read its CertificateRequest here (tests/Hardware/ServerProbe): the same 16 entries for TLS 1.3
    /// and TLS 1.2, plus four DSA pairs in TLS 1.2. SHA-1 is gone at level 2; the SHA-224 pairs remain.
    /// </summary>
    public static ServerModel StockOpenSsl3 { get; } = new()
    {
        Source = StockSource,
        Tls13Schemes =
        [
            0x0403, 0x0503, 0x0603, 0x0807, 0x0808,
            0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806,
            0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
        ],
        Tls12Schemes =
        [
            0x0403, 0x0503, 0x0603, 0x0807, 0x0808,
            0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806,
            0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
            0x0302, 0x0402, 0x0502, 0x0602,
        ],
    };

    /// <summary>A server whose list the user gave (--server-schemes): the same list for both versions.</summary>
    public static ServerModel Given(ImmutableArray<ushort> schemes) => StockOpenSsl3 with
    {
        Source = GivenSource,
        Tls13Schemes = schemes,
        Tls12Schemes = schemes,
    };
}
