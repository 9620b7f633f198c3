using System.Collections.Immutable;

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
    /// supported_groups (shared facts §7: P-521 with Chromium).
    /// </summary>
    public bool RequiresClientCurveOfferedInTls12 { get; init; } = true;
    /// <summary>certificate_authorities, or null when the server names none.</summary>
    public ImmutableArray<string>? CertificateAuthorities { get; init; }

    public ImmutableArray<ushort> SchemesFor(TlsVersion version) => version == TlsVersion.Tls13 ? Tls13Schemes : Tls12Schemes;

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
