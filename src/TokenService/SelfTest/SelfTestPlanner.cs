using System.Collections.Immutable;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>One signature to ask the token for, with everything needed to check what comes back.</summary>
/// <param name="Content">What TLS signs: the TLS 1.3 CertificateVerify content, or TLS 1.2 handshake messages.</param>
/// <param name="Digest">Hash(Content) with the scheme's hash; empty for EdDSA.</param>
/// <param name="Item">What goes to C_Sign, built for the route.</param>
/// <param name="NamedRoute">True for the route the engine names for the scheme; false for a route clients fall back to.</param>
internal sealed record SelfTestProbe(
    VerificationKey Verifier,
    ImmutableArray<byte> Content,
    ImmutableArray<byte> Digest,
    SignItem Item,
    bool NamedRoute);

/// <summary>A scheme and route of one key: a probe to sign, or the reason nothing will be signed.</summary>
internal sealed record PlannedCase(
    KeyFacts Key,
    TlsVersion Version,
    SignatureScheme Scheme,
    SigningRoute? Route,
    SelfTestProbe? Probe,
    string? NotAttempted);

/// <summary>
/// Decides what the self-test signs: for every key and every scheme the engine calls usable (TLS 1.3, then
/// TLS 1.2), the data TLS would sign, prepared for the route the engine names and for every other route the
/// lists allow (those clients fall back to, e.g. libp11's software PSS over CKM_RSA_X_509). Pure but for the
/// random bytes it is given.
/// </summary>
internal static class SelfTestPlanner
{
    /// <summary>The length of TLS 1.2 handshake_messages stood in for by random bytes.</summary>
    private const int Tls12MessagesLength = 1024;

    /// <summary>EdDSA names no hash; the TLS 1.3 transcript hash is then the cipher suite's, SHA-256 here.</summary>
    private const int EdDsaTranscriptHashLength = 32;

    public static ImmutableArray<PlannedCase> Plan(
        IReadOnlyList<KeyFacts> keys, TokenMechanisms token, ServerModel server, Action<Span<byte>> random)
    {
        var sharedIds = keys.GroupBy(k => Convert.ToHexStringLower(k.Key.Id.AsSpan()))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        var cases = ImmutableArray.CreateBuilder<PlannedCase>();
        foreach (var key in keys)
        {
            var keyProblem = sharedIds.Contains(Convert.ToHexStringLower(key.Key.Id.AsSpan()))
                ? "another private key on the token has the same CKA_ID, so which one signs is not known"
                : null;
            var (verifier, noVerifier) = VerificationKey.For(key);
            foreach (var version in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
            {
                foreach (var evaluation in SchemeRules.EvaluateAll(key, token, server, version))
                {
                    cases.AddRange(CasesFor(key, version, evaluation, token, verifier, keyProblem ?? noVerifier, random));
                }
            }
        }

        return cases.ToImmutable();
    }

    private static IEnumerable<PlannedCase> CasesFor(
        KeyFacts key, TlsVersion version, SchemeEvaluation evaluation, TokenMechanisms token,
        VerificationKey? verifier, string? keyProblem, Action<Span<byte>> random)
    {
        var scheme = evaluation.Scheme;
        if (!evaluation.Usable || evaluation.Route is null)
        {
            yield return new(key, version, scheme, null, null, $"the scheme is not usable ({string.Join(", ", evaluation.Reasons)})");
            yield break;
        }

        // The named route first, then the other routes the lists allow, in the engine's order.
        var routes = SigningRoutes.For(scheme.Family).Where(r => SigningRoutes.Refusal(token, key, r, scheme) is null);
        foreach (var route in routes)
        {
            if (keyProblem is not null || verifier is null)
            {
                yield return new(key, version, scheme, route, null, keyProblem ?? "nothing to verify a signature with");
                continue;
            }

            var content = version == TlsVersion.Tls13
                ? TlsSignedContent.Tls13ClientCertificateVerify(RandomBytes(scheme.Hash == HashAlgorithmKind.None ? EdDsaTranscriptHashLength : scheme.HashLength, random))
                : TlsSignedContent.Tls12HandshakeMessages(random, Tls12MessagesLength);
            var digest = scheme.Hash == HashAlgorithmKind.None ? [] : SchemeHashes.Hash(scheme.Hash, content);
            if (TokenInput(key, scheme, route, content, digest, random) is not { } input)
            {
                yield return new(key, version, scheme, route, null, $"the self-test does not build {scheme.Name} for {route.MechanismName}");
                continue;
            }

            var item = new SignItem(key.Key.Id, route.Mechanism, input.Pss, [.. input.Data]);
            yield return new(key, version, scheme, route, new SelfTestProbe(verifier, [.. content], [.. digest], item, route == evaluation.Route), null);
        }
    }

    /// <summary>What C_Sign gets on each route (docs/tls-client-auth.md §2): who hashes and who pads decides it.</summary>
    private static (byte[] Data, PssParameters? Pss)? TokenInput(
        KeyFacts key, SignatureScheme scheme, SigningRoute route, byte[] content, byte[] digest, Action<Span<byte>> random)
    {
        switch (route.Mechanism)
        {
            case Mechanisms.RsaPkcs when scheme.IsPkcs1:
                // The token pads EMSA-PKCS1-v1_5 around the DigestInfo the client builds (RFC 8017 §9.2).
                return (DigestInfo.Encode(scheme.Hash, digest), null);
            case Mechanisms.RsaPkcsPss when scheme.IsPss:
                // The token encodes EMSA-PSS; TLS fixes MGF1 with the same hash and sLen = hLen (RFC 8446 §4.2.3).
                return (digest, new PssParameters(SchemeHashes.Mechanism(scheme.Hash), SchemeHashes.Mgf1(scheme.Hash), (ulong)digest.Length));
            case Mechanisms.RsaX509 when scheme.IsPss && key.Bits is { } bits:
                // Software PSS: we encode (RFC 8017 §9.1.1), the token only raises to the private exponent.
                var em = EmsaPss.Encode(scheme.Hash, digest, RandomBytes(digest.Length, random), bits - 1);
                return (EmsaPss.ToModulusLength(em, (bits + 7) / 8), null);
            case Mechanisms.Ecdsa:
                // The token signs the digest as given (PKCS#11 v2.40 §2.3.6) and answers r‖s.
                return (digest, null);
            case Mechanisms.Eddsa:
                // PureEdDSA: the token hashes the whole message itself (RFC 8032 §5.1.6).
                return (content, null);
            default:
                return null;
        }
    }

    private static byte[] RandomBytes(int length, Action<Span<byte>> random)
    {
        var bytes = new byte[length];
        random(bytes);
        return bytes;
    }
}
