using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// Java (JSSE with SunPKCS11): RSASSA-PSS is registered only when the token lists CKM_RSA_PKCS_PSS; the
/// server's order decides (docs/tls-client-auth.md §3). SunPKCS11 in JDK 17 has no EdDSA. The key manager's
/// chooseClientAlias(keyType, issuers, socket) returns no alias when no certificate chain has an issuer among the
/// server's certificate_authorities, and JSSE then sends an empty Certificate (modeled).
/// </summary>
internal sealed class JavaClient : ClientStack
{
    public override string Name => "java";

    public override string Basis => "modeled";

    protected override bool FiltersByServerCaNames => true;

    protected override IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version) => ServerOrder.Of(c.Server, version);

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) =>
        scheme.Family switch
        {
            SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss => c.Token.IsListed(Mechanisms.RsaPkcsPss),
            SchemeFamily.EdDsa => false,
            _ => true,
        };

    /// <summary>SunPKCS11 signs "SHA256withRSA" with CKM_SHA256_RSA_PKCS when listed, else CKM_RSA_PKCS, else raw RSA.</summary>
    protected override IReadOnlyList<SigningRoute> Attempts(SignatureScheme scheme)
    {
        var routes = new List<SigningRoute>();
        if (!scheme.IsPss && SigningRoutes.HashedVariant(scheme) is { } hashed)
        {
            routes.Add(new SigningRoute(hashed, ClientHashes: false, ClientPads: false));
        }

        routes.AddRange(SigningRoutes.For(scheme.Family).Where(r => !scheme.IsPss || r.Mechanism == Mechanisms.RsaPkcsPss));
        if (scheme.IsPkcs1)
        {
            routes.Add(SigningRoutes.RawRsa);
        }

        return routes;
    }

    protected override string NoCommonAlgorithmError(TlsVersion version) => "SSLHandshakeException: No supported CertificateVerify signature algorithm";

    protected override string NoCertificateSentError(TlsVersion version, string why) =>
        $"SSLHandshakeException: Received fatal alert: {(version == TlsVersion.Tls13 ? "certificate_required" : "handshake_failure")} (no certificate sent: {why})";

    protected override string SigningFailedError(TokenRefusal refusal) => $"ProviderException: {refusal.ReturnValue}";

    protected override string ServerRejectedError(string why) => $"SSLHandshakeException: server rejected the certificate ({why})";

    protected override string BadSignatureError() => "SSLHandshakeException: Received fatal alert: decrypt_error";
}
