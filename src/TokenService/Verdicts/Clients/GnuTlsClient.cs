using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// GnuTLS (docs/tls-client-auth.md §3, §7): an RSA key can do PSS when C_GetMechanismInfo(CKM_RSA_PKCS_PSS) answers and
/// CKA_SIGN is true; otherwise the key is "incompatible with TLS 1.3" and no certificate is sent there.
/// Follows the server's order; signs with bare mechanisms only; Ed25519 works. gnutls-cli sends the configured
/// certificate whatever the server's certificate_authorities say (measured here: its certificate callback ignores
/// the names). Applications without a callback get the library's choice (lib/auth/cert.c, find_x509_client_cert):
/// a certificate only when an issuer in its chain equals a named CA byte for byte, or with GNUTLS_FORCE_CLIENT_CERT.
/// </summary>
internal sealed class GnuTlsClient : ClientStack
{
    public override string Name => "gnutls";

    public override string Basis => "tested-here";

    protected override IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version) => ServerOrder.Of(c.Server, version);

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) =>
        !scheme.IsPss || (c.Token.InfoAnswers(Mechanisms.RsaPkcsPss) && c.Key.Key.Sign);

    protected override bool OffersGroupInTls12(string? curve) => Curves.IsTls12Curve(curve);

    protected override string NoCommonAlgorithmError(TlsVersion version) =>
        "key not usable for any offered scheme (GnuTLS: incompatible with TLS 1.3 without CKM_RSA_PKCS_PSS); no certificate sent; "
        + ServerAlerts.NoCertificate(version);

    protected override string NoCertificateSentError(TlsVersion version, string why) => ServerAlerts.NoCertificate(version);

    protected override string SigningFailedError(TokenRefusal refusal) => $"GNUTLS_E_PK_SIGN_FAILED ({refusal.ReturnValue})";

    protected override string ServerRejectedError(string why) => $"server rejected the client certificate: {why}";

    protected override string BadSignatureError() => "server alert decrypt_error (bad CertificateVerify signature)";
}
