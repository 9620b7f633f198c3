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
}
