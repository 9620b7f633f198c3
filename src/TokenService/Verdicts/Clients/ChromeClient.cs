using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// Chromium's common behaviour (BoringSSL): its own fixed preference per key type, PKCS#1 before PSS, one
/// signing attempt with a bare mechanism and no retry; certificates without digitalSignature, expired ones
/// and Ed25519 keys are never offered; P-521 is not among its TLS 1.2 groups (docs/tls-client-auth.md §3, §7). Only
/// certificates whose chain reaches a CA in the server's certificate_authorities are offered
/// (net/ssl/client_cert_store_nss.cc, FilterCertsOnWorkerThread; modeled, not measured here).
/// </summary>
internal abstract class ChromeClient : ClientStack
{
    private static readonly SignatureScheme[] RsaOrder =
    [
        SignatureSchemes.RsaPkcs1Sha256, SignatureSchemes.RsaPkcs1Sha384, SignatureSchemes.RsaPkcs1Sha512,
        SignatureSchemes.RsaPssRsaeSha256, SignatureSchemes.RsaPssRsaeSha384, SignatureSchemes.RsaPssRsaeSha512,
        SignatureSchemes.RsaPkcs1Sha256Legacy, SignatureSchemes.RsaPkcs1Sha384Legacy, SignatureSchemes.RsaPkcs1Sha512Legacy,
    ];

    private static readonly SignatureScheme[] EcOrder =
    [
        SignatureSchemes.EcdsaP256Sha256, SignatureSchemes.EcdsaP384Sha384, SignatureSchemes.EcdsaP521Sha512,
    ];

    protected override bool SupportsLegacyPkcs1InTls13 => true;

    protected override bool FiltersByServerCaNames => true;

    protected override string? DropsCertificate(ClientContext c)
    {
        if (c.Key.Kind == KeyKind.EcEdwards)
        {
            return "Chromium's client key table covers RSA and EC only";
        }

        if (c.CertificateExpired)
        {
            return "expired certificates are filtered out";
        }

        return c.Key.Certificate is { HasDigitalSignature: false } ? "NSS drops certificates without digitalSignature" : null;
    }

    protected override IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version) => c.Key.Kind switch
    {
        KeyKind.Rsa => RsaOrder,
        KeyKind.Ec => EcOrder,
        _ => [],
    };

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) =>
        scheme.Family switch
        {
            SchemeFamily.RsaPssRsae => BelievesPss(c),
            // RFC 9963: offered only for keys that cannot do PSS.
            SchemeFamily.RsaPkcs1Legacy => !BelievesPss(c),
            _ => true,
        };

    protected abstract bool BelievesPss(ClientContext c);

    protected override bool OffersGroupInTls12(string? curve) => curve is Curves.P256 or Curves.P384;

    protected override string NoCommonAlgorithmError(TlsVersion version) => "ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS (-177)";

    protected override string NoCertificateSentError(TlsVersion version, string why) => $"ERR_BAD_SSL_CLIENT_AUTH_CERT (-117): no certificate sent ({why})";

    protected override string SigningFailedError(TokenRefusal refusal) => $"ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED (-141): token returned {refusal.ReturnValue}";

    protected override string ServerRejectedError(string why) => $"ERR_BAD_SSL_CLIENT_AUTH_CERT (-117): server rejected the certificate ({why})";

    protected override string BadSignatureError() => "ERR_SSL_DECRYPT_ERROR_ALERT (-153)";

    protected override string CurveNotOfferedError() => "ERR_SSL_PROTOCOL_ERROR (-107): the key's curve is not among Chrome's TLS 1.2 groups";
}

/// <summary>Chrome on Linux and ChromeOS: PSS only when the slot lists bare CKM_RSA_PKCS_PSS (PK11_DoesMechanism).</summary>
internal sealed class ChromeLinuxClient : ChromeClient
{
    public override string Name => "chrome-linux";

    public override string Basis => "lab-measured";

    protected override bool BelievesPss(ClientContext c) => c.Token.IsListed(Mechanisms.RsaPkcsPss);
}

/// <summary>Chrome on Windows (CNG smart-card KSP): assumes PSS for every non-TPM key (docs/tls-client-auth.md §3).</summary>
internal sealed class ChromeWindowsClient : ChromeClient
{
    public override string Name => "chrome-windows";

    public override string Basis => "modeled";

    protected override bool BelievesPss(ClientContext c) => true;

    /// <summary>The KSP pads PSS itself for cards that expose raw RSA (modeled).</summary>
    protected override IReadOnlyList<SigningRoute> Attempts(SignatureScheme scheme) => SigningRoutes.For(scheme.Family);
}

/// <summary>Chrome on macOS: asks the OS per algorithm and falls back to raw RSA with its own PSS padding.</summary>
internal sealed class ChromeMacClient : ChromeClient
{
    public override string Name => "chrome-macos";

    public override string Basis => "modeled";

    protected override bool BelievesPss(ClientContext c) =>
        c.Token.IsListed(Mechanisms.RsaPkcsPss) || c.Token.IsListed(Mechanisms.RsaX509);

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) =>
        scheme.Family is SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy
            ? c.Token.IsListed(Mechanisms.RsaPkcs) && base.Believes(c, scheme, version)
            : base.Believes(c, scheme, version);

    protected override IReadOnlyList<SigningRoute> Attempts(SignatureScheme scheme) => SigningRoutes.For(scheme.Family);
}
