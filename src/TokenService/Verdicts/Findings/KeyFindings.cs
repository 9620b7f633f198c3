using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts.Clients;

namespace TokenService.Verdicts.Findings;

/// <summary>One client's predictions for both versions.</summary>
internal sealed record ClientPrediction(ClientStack Stack, ClientOutcome Tls13, ClientOutcome Tls12);

/// <summary>Everything evaluated for one key, from which its problems and verdict follow.</summary>
internal sealed record KeyEvaluation(
    KeyFacts Key,
    ImmutableArray<SchemeEvaluation> Tls13,
    ImmutableArray<SchemeEvaluation> Tls12,
    ImmutableArray<ClientPrediction> Clients);

/// <summary>Turns a key's evaluation into problems, each with the cause a person can act on.</summary>
internal static class KeyFindings
{
    public static ImmutableArray<Problem> Find(KeyEvaluation e, TokenMechanisms token, ServerModel server, DateTimeOffset now)
    {
        var key = e.Key;
        var found = ImmutableArray.CreateBuilder<Problem>();
        void Add(string code, Severity severity, string message) => found.Add(new Problem(code, severity, message));

        if (!key.Confirmed)
        {
            Add(ProblemCodes.KeyUnconfirmed, Severity.Info,
                $"Seen without login through its {(key.CertificateObject is null ? "public key" : "certificate")}: whether a private key exists, and its "
                + "CKA_SIGN, CKA_ALLOWED_MECHANISMS and CKA_ALWAYS_AUTHENTICATE, stay hidden; this verdict assumes a key that signs with every "
                + "mechanism the token lists, without a PIN per signature. The PIN would confirm it.");
        }

        CertificateProblems(key, now, Add);

        if (key.Certificate is { } issued && !server.NamesIssuerOf(issued))
        {
            Add(ProblemCodes.IssuerNotInServerCaList, Severity.Error,
                $"The certificate's issuer ({issued.Issuer}) is not among the CAs the server names in certificate_authorities "
                + $"({string.Join("; ", server.CertificateAuthorities ?? [])}): Chrome, Firefox and Java offer no certificate; "
                + "OpenSSL and GnuTLS send it and the server rejects it (unknown_ca).");
        }

        if (!key.Key.Sign)
        {
            Add(ProblemCodes.KeySignFalse, Severity.Error, "CKA_SIGN is false: the token refuses every signature with this key (CKR_KEY_FUNCTION_NOT_PERMITTED).");
        }

        if (key.Kind == KeyKind.Rsa && key.Bits < server.MinRsaBits)
        {
            Add(ProblemCodes.RsaKeyBelowServerMinimum, Severity.Error, $"RSA-{key.Bits} is below the {server.MinRsaBits} bits that OpenSSL at security level 2 accepts, on the server and on the client.");
        }

        if (key.Kind == KeyKind.Ec && !Curves.IsTls12Curve(key.Curve) && !e.Tls13.Any(s => s.Usable))
        {
            Add(ProblemCodes.CurveNotAllowed, Severity.Error, $"Curve {key.Curve ?? "unknown"} has no TLS signature scheme (RFC 8446 §4.2.3, RFC 8422 §5.1.1).");
        }

        if (key.Key.AlwaysAuthenticate)
        {
            Add(ProblemCodes.PinPerSignature, Severity.Warning, "CKA_ALWAYS_AUTHENTICATE: every signature needs a context-specific PIN login (a PIN prompt per handshake).");
        }

        if (key.Kind == KeyKind.Rsa)
        {
            RsaRouteProblems(e, token, Add);
        }

        SelfTestProblems(key, Add);

        if (key.Kind == KeyKind.Ec && key.Curve == Curves.P521)
        {
            Add(ProblemCodes.ChromeLacksCurveInTls12, Severity.Warning, "Chrome offers no P-521 group in TLS 1.2: against an OpenSSL server, TLS 1.2 fails in Chrome (TLS 1.3 works).");
        }

        if (key.Curve is Curves.BrainpoolP256 or Curves.BrainpoolP384 or Curves.BrainpoolP512)
        {
            Add(ProblemCodes.BrainpoolNotInBrowsers, Severity.Warning, "The brainpool TLS 1.3 schemes (RFC 8734) are not implemented by Chrome or Firefox.");
        }

        if (e.Tls13.Concat(e.Tls12).Any(s => s.Usable && s.Reasons.Contains(ReasonCodes.KeySizeOutsideMechanismRange)))
        {
            Add(ProblemCodes.KeySizeOutsideMechanismRange, Severity.Info, "The key size lies outside the mechanism's ulMinKeySize..ulMaxKeySize; vendors often report these in other units, so this is only a hint.");
        }

        // No scheme of either version by a route a client takes, and nothing above already says why
        // (CKA_SIGN false and a curve without schemes make every scheme unusable by themselves).
        if (!e.Tls13.Concat(e.Tls12).Any(s => s.Usable)
            && !found.Any(p => p.Code is ProblemCodes.KeySignFalse or ProblemCodes.CurveNotAllowed))
        {
            var reasons = e.Tls13.Concat(e.Tls12).SelectMany(s => s.Reasons).Distinct();
            Add(ProblemCodes.NoUsableScheme, Severity.Error, $"No TLS 1.3 or TLS 1.2 signature scheme can be made with this key by a mechanism real clients call ({string.Join(", ", reasons)}).");
        }

        foreach (var version in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
        {
            var evals = version == TlsVersion.Tls13 ? e.Tls13 : e.Tls12;
            if (!server.Accepts(version))
            {
                Add(ProblemCodes.ServerVersionNotAccepted, Severity.Warning, $"The server does not accept {version.Label()}: no client authenticates there.");
            }
            else if (!server.RequestsCertificate(version))
            {
                Add(ProblemCodes.ServerRequestsNoCertificate, Severity.Warning, $"The server asks for no client certificate in {version.Label()} (no CertificateRequest): client authentication cannot happen there.");
            }
            else if (evals.Any(s => s.Usable) && !evals.Any(s => s.Usable && server.Offers(s.Scheme, version)))
            {
                Add(ProblemCodes.ServerOffersNoUsableScheme, Severity.Warning, $"The server's {version.Label()} CertificateRequest lists none of the schemes this key can make.");
            }
        }

        if (!found.Any(p => p.Severity == Severity.Error) && e.Clients.Any(c => !c.Tls13.Ok || !c.Tls12.Ok))
        {
            var failing = e.Clients
                .Where(c => !c.Tls13.Ok || !c.Tls12.Ok)
                .Select(c => $"{c.Stack.Name} ({Failing(c)})");
            Add(ProblemCodes.SomeClientsFail, Severity.Info, "Not every client succeeds: " + string.Join(", ", failing) + ".");
        }

        return found.ToImmutable();
    }

    private static string Failing(ClientPrediction c) =>
        (c.Tls13.Ok, c.Tls12.Ok) switch
        {
            (false, false) => "TLS 1.3 and 1.2",
            (false, true) => "TLS 1.3",
            _ => "TLS 1.2",
        };

    private static void CertificateProblems(KeyFacts key, DateTimeOffset now, Action<string, Severity, string> add)
    {
        if (key.CertificateObject is null)
        {
            add(ProblemCodes.CertificateMissing, Severity.Error, "No certificate on the token belongs to this key: no client can present it.");
            return;
        }

        if (key.Certificate is not { } cert)
        {
            add(ProblemCodes.CertificateUnreadable, Severity.Error, "The certificate object with this key's CKA_ID is not a readable X.509 certificate.");
            return;
        }

        if (key.CertificateMatchUnverified)
        {
            add(ProblemCodes.CertificateKeyUnverified, Severity.Warning, "The certificate was paired by CKA_ID only: the token exposes no public key to compare with.");
        }
        else if (!key.CertificateMatchesKey)
        {
            add(ProblemCodes.CertificateKeyMismatch, Severity.Error, "The certificate with this key's CKA_ID holds a different public key: the server would reject the signature (decrypt_error).");
        }

        if (now > cert.NotAfter)
        {
            add(ProblemCodes.CertificateExpired, Severity.Error, $"The certificate expired on {cert.NotAfter:yyyy-MM-dd}.");
        }
        else if (now < cert.NotBefore)
        {
            add(ProblemCodes.CertificateNotYetValid, Severity.Error, $"The certificate is valid only from {cert.NotBefore:yyyy-MM-dd}.");
        }

        if (!cert.HasDigitalSignature)
        {
            add(ProblemCodes.CertificateNoDigitalSignature, Severity.Error, "keyUsage lacks digitalSignature: browsers do not offer the certificate and servers reject it (RFC 5280 §4.2.1.3).");
        }

        if (!cert.AllowsClientAuth)
        {
            add(ProblemCodes.CertificateNoClientAuth, Severity.Error, "extendedKeyUsage lacks clientAuth: servers reject the certificate for TLS client authentication (RFC 5280 §4.2.1.12).");
        }
    }

    /// <summary>What the self-test saw the token refuse, grouped by mechanism and return value.</summary>
    private static void SelfTestProblems(KeyFacts key, Action<string, Severity, string> add)
    {
        foreach (var failed in key.SigningFailures.GroupBy(f => (f.Mechanism, f.ReturnValue)))
        {
            var schemes = string.Join(", ", failed
                .Select(f => SignatureSchemes.TryGet(f.SchemeCode, out var s) ? s.Name : $"0x{f.SchemeCode:x4}")
                .Distinct());
            var mechanism = Mechanisms.NameOf(failed.Key.Mechanism);
            add(ProblemCodes.SelfTestFailed, Severity.Warning, failed.Key.ReturnValue is { } returnValue
                ? $"The token refused {mechanism} for {schemes} when the self-test signed ({returnValue}), although its lists allow it: clients that sign this way fail."
                : $"Signatures made with {mechanism} for {schemes} do not verify with the key's public key: servers reject them (decrypt_error).");
        }
    }

    private static void RsaRouteProblems(KeyEvaluation e, TokenMechanisms token, Action<string, Severity, string> add)
    {
        // Both PSS families: an id-RSASSA-PSS certificate key signs rsa_pss_pss_*, not rsa_pss_rsae_* (RFC 8446 §4.2.3).
        var pss13 = e.Tls13.Where(s => s.Scheme.IsPss).ToList();
        var usablePss = pss13.Where(s => s.Usable).ToList();
        if (usablePss.Count == 0 && e.Key.Key.Sign)
        {
            var reasons = pss13.SelectMany(s => s.Reasons).ToHashSet();
            if (reasons.Contains(ReasonCodes.ExcludedByAllowedMechanisms))
            {
                add(ProblemCodes.AllowedMechanismsExcludePss, Severity.Warning, "The token lists PSS but the key's CKA_ALLOWED_MECHANISMS excludes it: clients choose PSS from the token's list and the key refuses it.");
            }

            if (reasons.Contains(ReasonCodes.HashOnTokenOnly))
            {
                add(ProblemCodes.PssOnlyHashedOnToken, Severity.Warning, "PSS exists only as on-token hashing mechanisms (CKM_SHAx_RSA_PKCS_PSS), which no TLS client uses.");
            }

            add(ProblemCodes.NoPssRoute, Severity.Warning, "No RSA-PSS route (CKM_RSA_PKCS_PSS or CKM_RSA_X_509): TLS 1.3 requires RSA-PSS for CertificateVerify (RFC 8446 §4.4.3).");
        }
        else if (usablePss.Count > 0 && usablePss.All(s => s.Route == SigningRoutes.RawRsa))
        {
            add(ProblemCodes.Tls13NeedsSoftwarePss, Severity.Warning, "PSS is possible only by padding in software over raw RSA (CKM_RSA_X_509): OpenSSL+libp11 does it; Chrome on Linux, Firefox and GnuTLS do not.");
        }

        // PKCS#1 does not apply to an id-RSASSA-PSS certificate key (RFC 8446 §4.2.3): no route is missing there.
        var pkcs1 = e.Tls12
            .Where(s => s.Scheme.Family == SchemeFamily.RsaPkcs1 && s.Scheme.Hash != HashAlgorithmKind.Sha1
                && !s.Reasons.Contains(ReasonCodes.CertificateKeyTypeMismatch))
            .ToList();
        if (e.Key.Key.Sign && pkcs1.Count > 0 && pkcs1.All(s => !s.Usable) && e.Tls12.Any(s => s.Usable))
        {
            add(ProblemCodes.NoPkcs1Route, Severity.Warning, "No PKCS#1 v1.5 route (bare CKM_RSA_PKCS): in TLS 1.2 Chrome tries PKCS#1 first and fails without retrying PSS.");
        }

        // Only when the token refused the PSS signature: a server that rejects the certificate also leaves
        // OpenSSL's outcome failed with a PSS scheme, and PKCS#1 would not help there.
        var openssl = e.Clients.FirstOrDefault(c => c.Stack is OpenSslLibp11Client);
        if (openssl is not null && openssl.Tls12.Cause == ClientCauses.SigningRefused && openssl.Tls12.Scheme?.IsPss == true && pkcs1.Any(s => s.Usable))
        {
            add(ProblemCodes.OpenSslPicksPssInTls12, Severity.Warning, "OpenSSL-based clients follow the server's order and pick PSS even in TLS 1.2, which this key cannot make; PKCS#1 would work.");
        }

        if (token.AnswersUnlisted(Mechanisms.RsaPkcsPss))
        {
            add(ProblemCodes.UnlistedMechanismAnswered, Severity.Warning, "C_GetMechanismInfo answers for CKM_RSA_PKCS_PSS although C_GetMechanismList omits it: GnuTLS will attempt PSS and fail.");
        }
    }
}
