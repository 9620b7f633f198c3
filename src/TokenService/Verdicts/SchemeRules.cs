using System.Collections.Immutable;
using TokenService.Certificates;
using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts;

/// <summary>The TLS signature rules, per scheme, as pure functions of the key, the token and the version.</summary>
internal static class SchemeRules
{
    /// <summary>The schemes of the key's family defined for the version, in display order.</summary>
    public static IEnumerable<SignatureScheme> Applicable(KeyFacts key, TlsVersion version) =>
        SignatureSchemes.All.Where(s => IsDefinedIn(s, version) && FamilyFits(s, key));

    public static bool IsDefinedIn(SignatureScheme scheme, TlsVersion version) =>
        version == TlsVersion.Tls13 ? scheme.InTls13 : scheme.InTls12;

    private static bool FamilyFits(SignatureScheme scheme, KeyFacts key) => key.Kind switch
    {
        KeyKind.Rsa => scheme.IsRsa,
        KeyKind.Ec => scheme.Family == SchemeFamily.Ecdsa,
        // An Ed key has exactly one scheme (RFC 8422 §5.1.3, RFC 8446 §4.2.3).
        KeyKind.EcEdwards => scheme.Family == SchemeFamily.EdDsa && scheme.BoundCurve == key.Curve,
        _ => false,
    };

    public static ImmutableArray<SchemeEvaluation> EvaluateAll(KeyFacts key, TokenMechanisms token, ServerModel server, TlsVersion version) =>
        [.. Applicable(key, version).Select(s => Evaluate(s, version, key, token, server))];

    public static SchemeEvaluation Evaluate(SignatureScheme scheme, TlsVersion version, KeyFacts key, TokenMechanisms token, ServerModel server)
    {
        var blocking = ProtocolAndKeyRules(scheme, version, key, server);
        if (blocking.Count > 0)
        {
            return new(scheme, false, null, [.. blocking.Distinct()]);
        }

        var refusals = new List<string>();
        foreach (var route in SigningRoutes.For(scheme.Family))
        {
            var refusal = SigningRoutes.Refusal(token, key, route, scheme);
            if (refusal is null)
            {
                return new(scheme, true, route, [.. Caveats(scheme, version, key, token, server, route)]);
            }

            refusals.Add(refusal.Reason);
        }

        // Only when the token would make the scheme by hashing on the token for this key, which no client
        // asks of it (docs/tls-client-auth.md §7); a key that refuses the bare route for its own reasons (CKA_SIGN,
        // CKA_ALLOWED_MECHANISMS, size) refuses the hashed one too.
        if (SigningRoutes.HashedVariant(scheme) is { } hashed
            && SigningRoutes.Refusal(token, key, new SigningRoute(hashed, ClientHashes: false, ClientPads: false), scheme) is null)
        {
            refusals.Add(ReasonCodes.HashOnTokenOnly);
        }

        return new(scheme, false, null, [.. refusals.Distinct()]);
    }

    /// <summary>Rules that hold whatever the token can do.</summary>
    private static List<string> ProtocolAndKeyRules(SignatureScheme scheme, TlsVersion version, KeyFacts key, ServerModel server)
    {
        var reasons = new List<string>();

        // RFC 8446 §4.4.3: RSA signatures in TLS 1.3 CertificateVerify MUST use RSASSA-PSS.
        if (version == TlsVersion.Tls13 && scheme.Family == SchemeFamily.RsaPkcs1)
        {
            reasons.Add(ReasonCodes.Pkcs1ForbiddenInTls13);
        }

        // RFC 8446 §4.2.3 (SHA-1 MUST NOT be used in TLS 1.3); RFC 9155 §2 deprecates it in TLS 1.2.
        if (scheme.Hash == HashAlgorithmKind.Sha1)
        {
            reasons.Add(ReasonCodes.Sha1Forbidden);
        }

        // RFC 9963: the legacy code points exist only where the server's CertificateRequest lists them.
        if (scheme.Family == SchemeFamily.RsaPkcs1Legacy && !server.Offers(scheme, version))
        {
            reasons.Add(ReasonCodes.LegacyNotOfferedByServer);
        }

        switch (scheme.Family)
        {
            case SchemeFamily.Ecdsa when version == TlsVersion.Tls13 && scheme.BoundCurve is not null && scheme.BoundCurve != key.Curve:
                // RFC 8446 §4.2.3: each TLS 1.3 ECDSA scheme names its curve.
                reasons.Add(HasTls13EcdsaScheme(key.Curve) ? ReasonCodes.CurveBoundToOtherHash : ReasonCodes.CurveNotAllowed);
                break;
            case SchemeFamily.Ecdsa when version == TlsVersion.Tls12 && !Curves.IsTls12Curve(key.Curve):
                // RFC 8422 §5.1.1: only the NIST curves (and X25519/X448 for ECDHE) remain for TLS 1.2.
                reasons.Add(ReasonCodes.CurveNotAllowed);
                break;
            case SchemeFamily.RsaPssPss when key.Certificate is { } c && c.PublicKeyAlgorithm != CertificateFacts.RsaPss:
            case SchemeFamily.RsaPssRsae or SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy
                when key.Certificate is { } c2 && c2.PublicKeyAlgorithm != CertificateFacts.RsaEncryption:
                // RFC 8446 §4.2.3: rsae needs an rsaEncryption key, pss an id-RSASSA-PSS key.
                reasons.Add(ReasonCodes.CertificateKeyTypeMismatch);
                break;
            case SchemeFamily.RsaPssPss when key.Certificate is null:
                // Without a certificate the key is taken as rsaEncryption, the common case on cards.
                reasons.Add(ReasonCodes.CertificateKeyTypeMismatch);
                break;
        }

        if (key.Kind == KeyKind.Rsa && key.Bits is null)
        {
            reasons.Add(ReasonCodes.KeyTypeUnknown);
        }

        return reasons;
    }

    private static bool HasTls13EcdsaScheme(string? curve) =>
        SignatureSchemes.All.Any(s => s.Family == SchemeFamily.Ecdsa && s.InTls13 && s.BoundCurve == curve);

    private static IEnumerable<string> Caveats(SignatureScheme scheme, TlsVersion version, KeyFacts key, TokenMechanisms token, ServerModel server, SigningRoute route)
    {
        if (route.ClientPads && scheme.IsPss)
        {
            yield return ReasonCodes.SoftwarePadding;
        }

        // ulMinKeySize/ulMaxKeySize: vendors get the units wrong, so a mismatch is a caveat (docs/tls-client-auth.md §2).
        if (token.Get(route.Mechanism) is { } info && key.Bits is { } bits && (info.MinKeySize > 0 || info.MaxKeySize > 0)
            && ((ulong)bits < info.MinKeySize || (info.MaxKeySize > 0 && (ulong)bits > info.MaxKeySize)))
        {
            yield return ReasonCodes.KeySizeOutsideMechanismRange;
        }

        if (scheme.Family == SchemeFamily.Ecdsa && scheme.BoundCurve is Curves.BrainpoolP256 or Curves.BrainpoolP384 or Curves.BrainpoolP512)
        {
            yield return ReasonCodes.BrowsersLackScheme;
        }

        if (!server.Offers(scheme, version))
        {
            yield return ReasonCodes.NotOfferedByServer;
        }
    }
}
