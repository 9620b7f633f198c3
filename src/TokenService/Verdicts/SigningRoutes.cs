using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts;

/// <summary>A PKCS#11 mechanism that makes a scheme, and who hashes and pads (docs/tls-client-auth.md §2).</summary>
internal sealed record SigningRoute(ulong Mechanism, bool ClientHashes, bool ClientPads)
{
    public string MechanismName => Mechanisms.NameOf(Mechanism);
}

/// <summary>The token's answer to one signing attempt: accepted (null) or refused with a code.</summary>
internal sealed record TokenRefusal(string Reason, string ReturnValue)
{
    /// <summary>
    /// The token signed, but the signature did not verify (seen by the self-test): the client sends it and
    /// the server answers decrypt_error, so no client falls back to another route.
    /// </summary>
    public bool SignatureInvalid { get; init; }
}

/// <summary>
/// The routes real clients take. Only bare mechanisms: OpenSSL+libp11, GnuTLS, NSS and Chromium hash in
/// software and never call CKM_SHAx_RSA_PKCS(_PSS) or CKM_ECDSA_SHAx (docs/tls-client-auth.md §7).
/// </summary>
internal static class SigningRoutes
{
    public static readonly SigningRoute Pkcs1 = new(Mechanisms.RsaPkcs, ClientHashes: true, ClientPads: false);
    public static readonly SigningRoute Pss = new(Mechanisms.RsaPkcsPss, ClientHashes: true, ClientPads: false);
    /// <summary>Raw RSA with PSS padded by the client (libp11's fallback, Chrome on macOS).</summary>
    public static readonly SigningRoute RawRsa = new(Mechanisms.RsaX509, ClientHashes: true, ClientPads: true);
    public static readonly SigningRoute Ecdsa = new(Mechanisms.Ecdsa, ClientHashes: true, ClientPads: true);
    /// <summary>PureEdDSA: the token hashes and signs the whole message (RFC 8032 §5.1.6).</summary>
    public static readonly SigningRoute EdDsa = new(Mechanisms.Eddsa, ClientHashes: false, ClientPads: false);

    public static IReadOnlyList<SigningRoute> For(SchemeFamily family) => family switch
    {
        SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy => [Pkcs1],
        SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss => [Pss, RawRsa],
        SchemeFamily.Ecdsa => [Ecdsa],
        SchemeFamily.EdDsa => [EdDsa],
        _ => [],
    };

    /// <summary>The hash-on-token variant of a scheme's mechanism, which no real client uses.</summary>
    public static ulong? HashedVariant(SignatureScheme scheme) => (scheme.Family, scheme.Hash) switch
    {
        (SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha1) => Mechanisms.Sha1RsaPkcs,
        (SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha256) => Mechanisms.Sha256RsaPkcs,
        (SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha384) => Mechanisms.Sha384RsaPkcs,
        (SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha512) => Mechanisms.Sha512RsaPkcs,
        (SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha256) => Mechanisms.Sha256RsaPkcsPss,
        (SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha384) => Mechanisms.Sha384RsaPkcsPss,
        (SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha512) => Mechanisms.Sha512RsaPkcsPss,
        (SchemeFamily.Ecdsa, HashAlgorithmKind.Sha1) => Mechanisms.EcdsaSha1,
        (SchemeFamily.Ecdsa, HashAlgorithmKind.Sha256) => Mechanisms.EcdsaSha256,
        (SchemeFamily.Ecdsa, HashAlgorithmKind.Sha384) => Mechanisms.EcdsaSha384,
        (SchemeFamily.Ecdsa, HashAlgorithmKind.Sha512) => Mechanisms.EcdsaSha512,
        _ => null,
    };

    /// <summary>
    /// What the token does with C_SignInit(mechanism) on this key: null when it signs, else why not and the
    /// CKR it returns. Mirrors PKCS#11 v3.0 §5.13 C_SignInit: the mechanism must be supported for signing,
    /// CKA_SIGN must be true, and CKA_ALLOWED_MECHANISMS (§4.9) must admit it. When all of that holds, what the
    /// token really did when the self-test signed this way has the last word.
    /// </summary>
    public static TokenRefusal? Refusal(TokenMechanisms token, KeyFacts key, SigningRoute route, SignatureScheme scheme)
    {
        if (!token.IsListed(route.Mechanism))
        {
            return new(ReasonCodes.MechanismMissing, "CKR_MECHANISM_INVALID");
        }

        if (!token.CanSign(route.Mechanism))
        {
            return new(ReasonCodes.MechanismCannotSign, "CKR_MECHANISM_INVALID");
        }

        if (!key.Key.Sign)
        {
            return new(ReasonCodes.KeySignFalse, "CKR_KEY_FUNCTION_NOT_PERMITTED");
        }

        if (!key.Allows(route.Mechanism))
        {
            return new(ReasonCodes.ExcludedByAllowedMechanisms, "CKR_MECHANISM_INVALID");
        }

        if (scheme.IsPss && !PssFits(key, scheme))
        {
            return new(ReasonCodes.KeyTooSmallForHash, route.ClientPads ? "client: data too large for key size" : "CKR_KEY_SIZE_RANGE");
        }

        if (scheme.IsPkcs1 && !Pkcs1Fits(key, scheme))
        {
            // PKCS#11 v2.40 §2.1.6: CKM_RSA_PKCS takes at most k - 11 bytes (SoftHSM 2.6.1 answers CKR_GENERAL_ERROR).
            return new(ReasonCodes.KeyTooSmallForHash, "CKR_DATA_LEN_RANGE");
        }

        return key.ObservedFailure(route.Mechanism, scheme) is { } observed
            ? new(ReasonCodes.SelfTestFailed, observed.ReturnValue ?? ObservedSigningFailure.DoesNotVerify) { SignatureInvalid = observed.ReturnValue is null }
            : null;
    }

    /// <summary>
    /// EMSA-PKCS1-v1_5 needs emLen = k >= tLen + 11 (RFC 8017 §9.2 step 3): an RSA-512 key cannot sign a SHA-384 or
    /// SHA-512 DigestInfo. Found by the self-test: SoftHSM refused what the tables called usable.
    /// </summary>
    public static bool Pkcs1Fits(KeyFacts key, SignatureScheme scheme) =>
        key.Bits is not { } bits || (bits + 7) / 8 >= scheme.DigestInfoLength + 11;

    /// <summary>EMSA-PSS needs emLen >= hLen + sLen + 2, with sLen = hLen in TLS (RFC 8017 §9.1.1, RFC 8446 §4.2.3).</summary>
    public static bool PssFits(KeyFacts key, SignatureScheme scheme) =>
        key.RsaEncodedLength is not { } emLen || emLen >= (2 * scheme.HashLength) + 2;
}
