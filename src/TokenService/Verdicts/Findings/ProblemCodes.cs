namespace TokenService.Verdicts.Findings;

/// <summary>Problem codes of contract v1 (`problems[].code`).</summary>
internal static class ProblemCodes
{
    // Key: blocking.
    public const string CertificateMissing = "certificate-missing";
    public const string CertificateUnreadable = "certificate-unreadable";
    public const string CertificateKeyMismatch = "certificate-key-mismatch";
    public const string CertificateExpired = "certificate-expired";
    public const string CertificateNotYetValid = "certificate-not-yet-valid";
    public const string CertificateNoDigitalSignature = "certificate-no-digital-signature";
    public const string CertificateNoClientAuth = "certificate-no-client-auth";
    public const string KeySignFalse = "key-sign-false";
    public const string RsaKeyBelowServerMinimum = "rsa-key-below-server-minimum";
    public const string CurveNotAllowed = "curve-not-allowed";
    public const string NoUsableScheme = "no-usable-scheme";
    /// <summary>The server's certificate_authorities do not name the certificate's issuer.</summary>
    public const string IssuerNotInServerCaList = "issuer-not-in-server-ca-list";

    // Key: limiting.
    public const string NoPssRoute = "no-pss-route";
    public const string PssOnlyHashedOnToken = "pss-only-hashed-on-token";
    public const string AllowedMechanismsExcludePss = "allowed-mechanisms-exclude-pss";
    public const string Tls13NeedsSoftwarePss = "tls13-needs-software-pss";
    public const string NoPkcs1Route = "no-pkcs1-route";
    public const string OpenSslPicksPssInTls12 = "openssl-picks-pss-in-tls12";
    public const string PinPerSignature = "pin-per-signature";
    public const string CertificateKeyUnverified = "certificate-key-unverified";
    public const string KeySizeOutsideMechanismRange = "key-size-outside-mechanism-range";
    public const string ChromeLacksCurveInTls12 = "chrome-lacks-curve-in-tls12";
    public const string BrainpoolNotInBrowsers = "brainpool-not-in-browsers";
    public const string ServerOffersNoUsableScheme = "server-offers-no-usable-scheme";
    public const string ServerVersionNotAccepted = "server-version-not-accepted";
    public const string ServerRequestsNoCertificate = "server-requests-no-certificate";
    public const string SomeClientsFail = "some-clients-fail";
    public const string SelfTestFailed = "self-test-failed";
    /// <summary>The key was seen without login (a certificate or public key): its private attributes are assumed.</summary>
    public const string KeyUnconfirmed = "key-unconfirmed";

    // Token.
    public const string PinLocked = "pin-locked";
    public const string PinFinalTry = "pin-final-try";
    public const string PinCountLow = "pin-count-low";
    public const string PinToBeChanged = "pin-to-be-changed";
    public const string LoginFailed = "login-failed";
    public const string LoginRefused = "login-refused";
    public const string PrivateObjectsHidden = "private-objects-hidden";
    public const string NoPrivateKeys = "no-private-keys";
    public const string EdDsaKeyBreaksLibp11 = "eddsa-key-breaks-libp11";
    public const string UnlistedMechanismAnswered = "unlisted-mechanism-answered";
}
