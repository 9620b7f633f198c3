using TokenService.Certificates;
using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// One TLS client stack's way of choosing and making the CertificateVerify signature (docs/tls-client-auth.md §3, §7).
/// The handshake is walked in the order things happen: the client's certificate filter, its own refusals,
/// the scheme choice (what it believes the key can do, in its preference order, among what the server
/// offers), the signing calls it makes on the token, then the server's checks of certificate and signature.
/// </summary>
internal abstract class ClientStack
{
    public abstract string Name { get; }

    /// <summary>`tested-here` (real handshakes in tests/Hardware), `lab-measured` (docs/tls-client-auth.md §7) or `modeled`.</summary>
    public abstract string Basis { get; }

    public ClientOutcome Predict(ClientContext c, TlsVersion version)
    {
        // The version is settled before anything else, and only a CertificateRequest asks the client for a
        // certificate (RFC 8446 §4.3.2, RFC 5246 §7.4.4).
        if (!c.Server.Accepts(version))
        {
            return ClientOutcome.Failure($"server does not accept {version.Label()}", ClientCauses.VersionNotAccepted);
        }

        if (!c.Server.RequestsCertificate(version))
        {
            return ClientOutcome.Failure($"server does not request a client certificate in {version.Label()}", ClientCauses.NoCertificateRequested);
        }

        if (c.Key.Certificate is not { } certificate)
        {
            return ClientOutcome.Failure("no certificate for this key on the token", ClientCauses.NoCertificate);
        }

        if (DropsCertificate(c) is { } dropped)
        {
            return ClientOutcome.Failure(NoCertificateSentError(version, dropped), ClientCauses.CertificateNotOffered);
        }

        var issuerNamed = c.Server.NamesIssuerOf(certificate);
        if (!issuerNamed && FiltersByServerCaNames)
        {
            return ClientOutcome.Failure(
                NoCertificateSentError(version, "the server's certificate_authorities do not name its issuer"), ClientCauses.IssuerNotAccepted);
        }

        if (RefusesBeforeHandshake(c) is { } refused)
        {
            return refused;
        }

        var chosen = Preference(c, version).FirstOrDefault(s =>
            SchemeRules.IsDefinedIn(s, version) && ProtocolAllows(c, s, version) && Believes(c, s, version) && c.Server.Offers(s, version));
        if (chosen is null)
        {
            return ClientOutcome.Failure(NoCommonAlgorithmError(version), ClientCauses.NoCommonAlgorithm);
        }

        TokenRefusal? refusal = null;
        foreach (var route in Attempts(chosen))
        {
            refusal = SigningRoutes.Refusal(c.Token, c.Key, route, chosen);
            if (refusal is null || refusal.SignatureInvalid)
            {
                // A signature came back: the client sends it, right or wrong, and tries no other route.
                break;
            }
        }

        if (refusal is { SignatureInvalid: true })
        {
            return ClientOutcome.Failure(BadSignatureError(), ClientCauses.BadSignature, chosen);
        }

        if (refusal is not null)
        {
            return ClientOutcome.Failure(SigningFailedError(refusal), ClientCauses.SigningRefused, chosen);
        }

        if (!issuerNamed)
        {
            // The certificate was sent anyway. Servers name the CAs they trust (OpenSSL's -CAfile, nginx's
            // ssl_client_certificate, Apache's SSLCACertificateFile fill both), and chain building is the first
            // check of X509_verify_cert: unknown_ca before any other complaint (measured, README).
            return ClientOutcome.Failure(
                ServerRejectedError("its issuer is not a CA the server names or trusts (alert unknown_ca)"), ClientCauses.IssuerNotAccepted, chosen);
        }

        if (ServerRejection(c, version) is { } why)
        {
            return ClientOutcome.Failure(ServerRejectedError(why), ClientCauses.ServerRejectedCertificate, chosen);
        }

        if (version == TlsVersion.Tls12 && c.Server.RequiresClientCurveOfferedInTls12
            && c.Key.Kind == KeyKind.Ec && !OffersGroupInTls12(c.Key.Curve))
        {
            return ClientOutcome.Failure(CurveNotOfferedError(), ClientCauses.CurveNotOffered, chosen);
        }

        if (c.Key.CertificateKeyDiffers)
        {
            // The server verifies the CertificateVerify with the certificate's key and answers decrypt_error
            // (RFC 8446 §4.4.3, RFC 5246 §7.4.8).
            return ClientOutcome.Failure(BadSignatureError(), ClientCauses.BadSignature, chosen);
        }

        return ClientOutcome.Success(chosen);
    }

    /// <summary>A reason code when the client will not even offer the certificate.</summary>
    protected virtual string? DropsCertificate(ClientContext c) => null;

    /// <summary>
    /// The client offers only certificates whose issuer the server's certificate_authorities name (browsers and
    /// Java's key managers); the others send the configured certificate whatever the list says.
    /// </summary>
    protected virtual bool FiltersByServerCaNames => false;

    protected virtual ClientOutcome? RefusesBeforeHandshake(ClientContext c) => null;

    /// <summary>The schemes in the order this client tries them.</summary>
    protected abstract IEnumerable<SignatureScheme> Preference(ClientContext c, TlsVersion version);

    /// <summary>Whether the client thinks the token can make the scheme (its capability check, if any).</summary>
    protected abstract bool Believes(ClientContext c, SignatureScheme scheme, TlsVersion version);

    /// <summary>The routes the client tries on the token for the scheme it chose, in order.</summary>
    protected virtual IReadOnlyList<SigningRoute> Attempts(SignatureScheme scheme) => [SigningRoutes.For(scheme.Family)[0]];

    protected virtual bool SupportsLegacyPkcs1InTls13 => false;

    /// <summary>
    /// True when the client picks a TLS 1.2 ECDSA scheme whatever the key's curve (TLS 1.2 does not bind the curve
    /// to the scheme, RFC 8422 §5.10), leaving the curve to the server's check; false when it keeps such keys out.
    /// </summary>
    protected virtual bool SignsTls12EcdsaOnAnyCurve => false;

    protected virtual bool OffersGroupInTls12(string? curve) => Curves.IsTls12Curve(curve);

    protected abstract string NoCommonAlgorithmError(TlsVersion version);

    protected abstract string NoCertificateSentError(TlsVersion version, string why);

    protected abstract string SigningFailedError(TokenRefusal refusal);

    protected abstract string ServerRejectedError(string why);

    protected abstract string BadSignatureError();

    protected virtual string CurveNotOfferedError() => "server: the key's curve is not among the client's supported_groups (wrong curve)";

    /// <summary>Rules every client applies before picking a scheme (RFC 8446 §4.2.3, §4.4.3).</summary>
    protected bool ProtocolAllows(ClientContext c, SignatureScheme s, TlsVersion version)
    {
        var key = c.Key;
        var fits = key.Kind switch
        {
            KeyKind.Rsa => s.IsRsa,
            KeyKind.Ec => s.Family == SchemeFamily.Ecdsa,
            KeyKind.EcEdwards => s.Family == SchemeFamily.EdDsa && s.BoundCurve == key.Curve,
            _ => false,
        };
        if (!fits || s.Hash == HashAlgorithmKind.Sha1)
        {
            return false;
        }

        if (version == TlsVersion.Tls13)
        {
            if (s.Family == SchemeFamily.RsaPkcs1 || (s.Family == SchemeFamily.RsaPkcs1Legacy && !SupportsLegacyPkcs1InTls13))
            {
                return false;
            }

            if (s.Family == SchemeFamily.Ecdsa && s.BoundCurve != key.Curve)
            {
                return false;
            }
        }
        else if (s.Family == SchemeFamily.Ecdsa && !SignsTls12EcdsaOnAnyCurve && !Curves.IsTls12Curve(key.Curve))
        {
            return false;
        }

        var certAlg = key.Certificate?.PublicKeyAlgorithm;
        if (s.Family == SchemeFamily.RsaPssPss && certAlg != CertificateFacts.RsaPss)
        {
            return false;
        }

        if (s.Family is SchemeFamily.RsaPssRsae or SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy && certAlg != CertificateFacts.RsaEncryption)
        {
            return false;
        }

        // Every stack checks that the RSA key is large enough for PSS with that hash before choosing it.
        return !s.IsPss || SigningRoutes.PssFits(key, s);
    }

    /// <summary>The stock OpenSSL server's certificate checks (`-verify_return_error`, security level 2).</summary>
    protected static string? ServerRejection(ClientContext c, TlsVersion version)
    {
        _ = version;
        var cert = c.Key.Certificate!;
        if (c.Key.Kind == KeyKind.Rsa && c.Key.Bits < c.Server.MinRsaBits)
        {
            return $"EE key too small ({c.Key.Bits} bits < {c.Server.MinRsaBits}, security level 2)";
        }

        if (c.Now > cert.NotAfter)
        {
            return "certificate has expired";
        }

        if (c.Now < cert.NotBefore)
        {
            return "certificate is not yet valid";
        }

        // RFC 5280 §4.2.1.3 / §4.2.1.12 as OpenSSL's X509_PURPOSE_SSL_CLIENT applies them.
        if (!cert.HasDigitalSignature || !cert.AllowsClientAuth)
        {
            return "unsupported certificate purpose";
        }

        return null;
    }
}
