namespace TokenService.ServerProbe;

/// <summary>What a server asks of client certificates, per TLS version, as seen by <see cref="ServerProbe"/>.</summary>
/// <param name="Endpoint">`host:port` as probed (`[v6-address]:port` for an IPv6 literal).</param>
internal sealed record ServerRequirements(string Endpoint, VersionRequirements Tls13, VersionRequirements Tls12);

/// <summary>The CertificateRequest of one TLS version (RFC 8446 §4.3.2 for TLS 1.3, RFC 5246 §7.4.4 for TLS 1.2).</summary>
internal sealed record VersionRequirements
{
    /// <summary>The server answered with a ServerHello for this version.</summary>
    public bool Accepted { get; init; }

    /// <summary>The server sent a CertificateRequest. Meaningful when <see cref="Error"/> is null.</summary>
    public bool RequestsCertificate { get; init; }

    /// <summary>
    /// IANA SignatureScheme names in the server's order, `0xNNNN` for unnamed code points: the
    /// `signature_algorithms` extension (TLS 1.3) or `supported_signature_algorithms` (TLS 1.2).
    /// </summary>
    public IReadOnlyList<string> SignatureAlgorithms { get; init; } = [];

    /// <summary>The `signature_algorithms_cert` extension (RFC 8446 §4.2.3), or null when the server did not send it.</summary>
    public IReadOnlyList<string>? SignatureAlgorithmsCert { get; init; }

    /// <summary>
    /// RFC 4514 distinguished names from `certificate_authorities` (RFC 8446 §4.2.4) or the TLS 1.2 field, in the
    /// server's order; empty when the server names none (any issuer it trusts).
    /// </summary>
    public IReadOnlyList<string> CertificateAuthorities { get; init; } = [];

    /// <summary>
    /// Why the probe of this version gave no answer (refused connection, timeout, version refused, handshake
    /// failure before any CertificateRequest), or null. A server failing the handshake because the probe sent no
    /// certificate is the expected end of a probe, not an error.
    /// </summary>
    public string? Error { get; init; }
}
