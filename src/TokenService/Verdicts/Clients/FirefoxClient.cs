using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// Firefox (NSS): PSS only when the slot lists CKM_RSA_PKCS_PSS; its own order puts PSS first, in TLS 1.2
/// too; with no usable scheme it sends an empty Certificate (docs/tls-client-auth.md §3). NSS drops certificates without
/// digitalSignature and expired ones when choosing, and does not do Ed25519 client authentication. It offers
/// only certificates issued under a CA the server names in certificate_authorities (PSM's client certificate
/// selection filters by the CA names; modeled).
/// </summary>
internal sealed class FirefoxClient : ClientStack
{
    private static readonly SignatureScheme[] Order =
    [
        SignatureSchemes.EcdsaP256Sha256, SignatureSchemes.EcdsaP384Sha384, SignatureSchemes.EcdsaP521Sha512,
        SignatureSchemes.RsaPssRsaeSha256, SignatureSchemes.RsaPssRsaeSha384, SignatureSchemes.RsaPssRsaeSha512,
        SignatureSchemes.RsaPkcs1Sha256, SignatureSchemes.RsaPkcs1Sha384, SignatureSchemes.RsaPkcs1Sha512,
    ];

    public override string Name => "firefox";

    public override string Basis => "modeled";

    protected override bool FiltersByServerCaNames => true;

    protected override string? DropsCertificate(ClientContext c)
    {
        if (c.Key.Kind == KeyKind.EcEdwards)
        {
            return "NSS does not use Ed25519 keys for client authentication";
        }

        if (c.CertificateExpired)
        {
            return "NSS skips expired certificates";
        }

        return c.Key.Certificate is { HasDigitalSignature: false } ? "NSS drops certificates without digitalSignature" : null;
    }

    protected override IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version) => Order;

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) =>
        !scheme.IsPss || c.Token.IsListed(Mechanisms.RsaPkcsPss);

    protected override string NoCommonAlgorithmError(TlsVersion version) => version == TlsVersion.Tls13
        ? "SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT (empty Certificate sent, server requires one)"
        : "SSL_ERROR_HANDSHAKE_FAILURE_ALERT (empty Certificate sent, server requires one)";

    protected override string NoCertificateSentError(TlsVersion version, string why) => NoCommonAlgorithmError(version) + $" ({why})";

    protected override string SigningFailedError(TokenRefusal refusal) => $"signing failed in the token ({refusal.ReturnValue}); Firefox aborts the handshake";

    protected override string ServerRejectedError(string why) => $"SSL_ERROR_BAD_CERT_ALERT: server rejected the certificate ({why})";

    protected override string BadSignatureError() => "SSL_ERROR_DECRYPT_ERROR_ALERT";
}
