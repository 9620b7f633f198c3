using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// OpenSSL 3 with the libp11 pkcs11 engine (docs/tls-client-auth.md §3, §7): checks nothing on the token, follows the
/// server's order (also in TLS 1.2, so PSS first against stock servers), tries CKM_RSA_PKCS_PSS and pads
/// PSS itself over CKM_RSA_X_509 when refused. Debian's security level 2 refuses RSA below 2048 bits.
/// s_client sends the configured certificate whatever the server's certificate_authorities say (measured here).
/// </summary>
internal sealed class OpenSslLibp11Client : ClientStack
{
    public override string Name => "openssl-libp11";

    public override string Basis => "tested-here";

    protected override ClientOutcome? RefusesBeforeHandshake(ClientContext c)
    {
        if (c.TokenHoldsEdDsaKey)
        {
            // libp11 0.4.12 cannot enumerate EdDSA keys; one on the token breaks every key (docs/tls-client-auth.md §7).
            return ClientOutcome.Failure("libp11 engine cannot load keys from a token that holds an EdDSA key", ClientCauses.EngineCannotLoadToken);
        }

        if (c.Key.CertificateKeyDiffers)
        {
            return ClientOutcome.Failure("client refuses to start: private key does not match the certificate public key", ClientCauses.ClientRefusedKey);
        }

        if (c.Key.Kind == KeyKind.Rsa && c.Key.Bits < 2048)
        {
            return ClientOutcome.Failure($"client refuses the certificate: ee key too small ({c.Key.Bits} bits, security level 2)", ClientCauses.ClientRefusedKey);
        }

        return null;
    }

    /// <summary>
    /// Observed on this machine with the ec-secp256k1 profile under TLS 1.2, through `openssl s_client -engine pkcs11`
    /// (softhsm-config/handshake.sh) and through .NET SslStream (`tokenservice handshake`) alike: the client sends its
    /// certificate and an ecdsa_secp256r1_sha256 (0x0403) CertificateVerify made on the token; the stock OpenSSL
    /// server then answers illegal_parameter ("wrong curve", ssl/t1_lib.c tls12_check_peer_sigalg: the key's curve
    /// is not among the client's supported_groups). It fails for the server's reason, not for want of a scheme.
    /// </summary>
    protected override bool SignsTls12EcdsaOnAnyCurve => true;

    protected override IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version) => ServerOrder.Of(c.Server, version);

    protected override bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version) => true;

    protected override IReadOnlyList<SigningRoute> Attempts(SignatureScheme scheme) => SigningRoutes.For(scheme.Family);

    protected override string NoCommonAlgorithmError(TlsVersion version) =>
        "no shared signature algorithm: client sends no certificate; " + ServerAlerts.NoCertificate(version);

    protected override string NoCertificateSentError(TlsVersion version, string why) => ServerAlerts.NoCertificate(version);

    protected override string SigningFailedError(TokenRefusal refusal) => $"CertificateVerify signing failed in the token ({refusal.ReturnValue})";

    protected override string ServerRejectedError(string why) => $"server rejected the client certificate: {why}";

    protected override string CurveNotOfferedError() =>
        "server alert illegal_parameter: the key's curve is not among the client's supported_groups (wrong curve)";

    protected override string BadSignatureError() => "server alert decrypt_error (bad CertificateVerify signature)";
}
