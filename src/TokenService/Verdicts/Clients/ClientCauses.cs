namespace TokenService.Verdicts.Clients;

/// <summary>Why a client stack fails; part of contract v1 (`clients[].tlsXX.cause`).</summary>
internal static class ClientCauses
{
    public const string NoCommonAlgorithm = "no-common-algorithm";
    public const string SigningRefused = "signing-refused";
    public const string CertificateNotOffered = "certificate-not-offered";
    public const string ServerRejectedCertificate = "server-rejected-certificate";
    public const string BadSignature = "bad-signature";
    public const string ClientRefusedKey = "client-refused-key";
    public const string CurveNotOffered = "curve-not-offered";
    public const string EngineCannotLoadToken = "engine-cannot-load-token";
    public const string NoCertificate = "no-certificate";
    /// <summary>The server does not negotiate this TLS version.</summary>
    public const string VersionNotAccepted = "version-not-accepted";
    /// <summary>The server sends no CertificateRequest in this version, so no client certificate is ever asked for.</summary>
    public const string NoCertificateRequested = "no-certificate-requested";
    /// <summary>
    /// The server's certificate_authorities do not name the certificate's issuer: the client offers no certificate,
    /// or sends it and the server does not trust the issuer (unknown_ca).
    /// </summary>
    public const string IssuerNotAccepted = "issuer-not-accepted";
}
