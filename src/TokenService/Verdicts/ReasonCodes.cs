namespace TokenService.Verdicts;

/// <summary>Codes that say why a scheme cannot be made, or what to know when it can. Part of contract v1.</summary>
internal static class ReasonCodes
{
    // Why a scheme is not usable.
    public const string MechanismMissing = "mechanism-missing";
    public const string MechanismCannotSign = "mechanism-cannot-sign";
    public const string KeySignFalse = "key-sign-false";
    public const string ExcludedByAllowedMechanisms = "excluded-by-allowed-mechanisms";
    public const string KeyTooSmallForHash = "key-too-small-for-hash";
    public const string CurveBoundToOtherHash = "curve-bound-to-other-hash";
    public const string CurveNotAllowed = "curve-not-allowed";
    public const string CertificateKeyTypeMismatch = "certificate-key-type-mismatch";
    public const string Pkcs1ForbiddenInTls13 = "pkcs1-forbidden-in-tls13";
    public const string Sha1Forbidden = "sha1-forbidden";
    public const string LegacyNotOfferedByServer = "legacy-not-offered-by-server";
    public const string HashOnTokenOnly = "hash-on-token-only";
    public const string KeyTypeUnknown = "key-type-unknown";
    /// <summary>The lists allow the route, but the token refused it (or signed wrongly) when the self-test signed.</summary>
    public const string SelfTestFailed = "self-test-failed";

    // Caveats on a usable scheme.
    public const string SoftwarePadding = "software-padding";
    public const string KeySizeOutsideMechanismRange = "key-size-outside-mechanism-range";
    public const string NotOfferedByServer = "not-offered-by-server";
    public const string BrowsersLackScheme = "browsers-lack-scheme";
}
