using System.Collections.Frozen;

namespace TokenService.Verdicts.Findings;

/// <summary>
/// The fix for each problem (docs/tls-client-auth.md §5). Never the generic advice (reboot, reset the browser, force
/// TLS 1.1): none of it fixes any cause here.
/// </summary>
internal static class Remedies
{
    private const RemedySide Card = RemedySide.Card;
    private const RemedySide Client = RemedySide.Client;
    private const RemedySide Server = RemedySide.Server;

    private static readonly FrozenDictionary<string, Remedy[]> ByCode = new Dictionary<string, Remedy[]>
    {
        [ProblemCodes.NoPssRoute] =
        [
            new(ProblemCodes.NoPssRoute, Card, "Re-issue on an EC P-256/P-384 key, or on a card and middleware that expose CKM_RSA_PKCS_PSS."),
            new(ProblemCodes.NoPssRoute, Client, "Update the PKCS#11 middleware: OpenSC >= 0.20 pads PSS in software for raw-RSA cards."),
            new(ProblemCodes.NoPssRoute, Server, "Offer rsa_pkcs1_sha256_legacy (RFC 9963) in TLS 1.3 CertificateRequests, or cap client-auth endpoints at TLS 1.2 while these cards are in use (temporary: TLS 1.2 sends the client certificate in clear)."),
        ],
        [ProblemCodes.PssOnlyHashedOnToken] =
        [
            new(ProblemCodes.PssOnlyHashedOnToken, Client, "The middleware offers PSS only with on-token hashing (CKM_SHAx_RSA_PKCS_PSS), which no TLS client calls: update it to one that exposes bare CKM_RSA_PKCS_PSS."),
        ],
        [ProblemCodes.AllowedMechanismsExcludePss] =
        [
            new(ProblemCodes.AllowedMechanismsExcludePss, Card, "Re-provision the key with CKA_ALLOWED_MECHANISMS including CKM_RSA_PKCS_PSS (or without the attribute): clients choose PSS from the token's list and the key then refuses it."),
        ],
        [ProblemCodes.Tls13NeedsSoftwarePss] =
        [
            new(ProblemCodes.Tls13NeedsSoftwarePss, Client, "TLS 1.3 works only in clients that pad PSS in software over CKM_RSA_X_509 (OpenSSL + libp11); Chrome on Linux, Firefox and GnuTLS will not try. Update the middleware to expose CKM_RSA_PKCS_PSS."),
        ],
        [ProblemCodes.NoPkcs1Route] =
        [
            new(ProblemCodes.NoPkcs1Route, Server, "Use TLS 1.3 for these cards: in TLS 1.2 Chrome tries PKCS#1 first and does not retry with PSS."),
        ],
        [ProblemCodes.OpenSslPicksPssInTls12] =
        [
            new(ProblemCodes.OpenSslPicksPssInTls12, Client, "For OpenSSL-based clients restrict client signature algorithms to PKCS#1 for TLS 1.2 (`-client_sigalgs RSA+SHA256`, or `ClientSignatureAlgorithms = RSA+SHA256` in openssl.cnf)."),
            new(ProblemCodes.OpenSslPicksPssInTls12, Server, "Keep PKCS#1 (rsa_pkcs1_sha256) in TLS 1.2 CertificateRequests."),
        ],
        [ProblemCodes.SelfTestFailed] =
        [
            new(ProblemCodes.SelfTestFailed, Client, "The module claims more than the token does: fix the middleware or its configuration so that C_GetMechanismList (and the key's CKA_ALLOWED_MECHANISMS) show only what this key really signs with; clients that choose by the list fail until then."),
            new(ProblemCodes.SelfTestFailed, Card, "If the key carries a signing policy the module does not show, re-provision it so that it signs with every mechanism its token lists."),
        ],
        [ProblemCodes.PinPerSignature] =
        [
            new(ProblemCodes.PinPerSignature, Client, "The key needs the PIN for every signature (CKA_ALWAYS_AUTHENTICATE): expect a PIN prompt per handshake; use the card's authentication key if it has one."),
        ],
        [ProblemCodes.CertificateMissing] = [new(ProblemCodes.CertificateMissing, Card, "Write the certificate issued for this key to the token (same CKA_ID).")],
        [ProblemCodes.CertificateUnreadable] = [new(ProblemCodes.CertificateUnreadable, Card, "The certificate object is not valid DER X.509: rewrite it.")],
        [ProblemCodes.CertificateKeyMismatch] = [new(ProblemCodes.CertificateKeyMismatch, Card, "The certificate on the token belongs to another key: write the certificate issued for this key pair (the server would answer decrypt_error).")],
        [ProblemCodes.CertificateKeyUnverified] = [new(ProblemCodes.CertificateKeyUnverified, Card, "The token shows no public key for this private key, so the certificate was paired by CKA_ID only: write the public key object (CKO_PUBLIC_KEY, same CKA_ID) when enrolling, or confirm that the certificate was issued for this key pair.")],
        [ProblemCodes.CertificateExpired] = [new(ProblemCodes.CertificateExpired, Card, "Renew the certificate.")],
        [ProblemCodes.CertificateNotYetValid] = [new(ProblemCodes.CertificateNotYetValid, Card, "The certificate is not valid yet: check the device clock, or wait for notBefore.")],
        [ProblemCodes.CertificateNoDigitalSignature] = [new(ProblemCodes.CertificateNoDigitalSignature, Card, "Re-issue the certificate with keyUsage digitalSignature.")],
        [ProblemCodes.CertificateNoClientAuth] = [new(ProblemCodes.CertificateNoClientAuth, Card, "Re-issue the certificate with extendedKeyUsage clientAuth.")],
        [ProblemCodes.KeySignFalse] = [new(ProblemCodes.KeySignFalse, Card, "The key may not sign (CKA_SIGN false): use the card's authentication key or re-issue the key with CKA_SIGN true.")],
        [ProblemCodes.RsaKeyBelowServerMinimum] = [new(ProblemCodes.RsaKeyBelowServerMinimum, Card, "Replace the key: RSA below 2048 bits is refused by current servers and clients (OpenSSL security level 2); re-issue on RSA-2048+ or EC P-256.")],
        [ProblemCodes.NoUsableScheme] =
        [
            new(ProblemCodes.NoUsableScheme, Card, "Re-issue on a card and middleware that sign with the bare mechanisms clients call (CKM_RSA_PKCS_PSS and CKM_RSA_PKCS for RSA, CKM_ECDSA for EC, CKM_EDDSA for Ed25519), or on an EC P-256/P-384 key."),
            new(ProblemCodes.NoUsableScheme, Client, "Update the PKCS#11 middleware: TLS clients hash in software and never call the on-token hashing mechanisms (CKM_SHAx_RSA_PKCS, CKM_ECDSA_SHAx)."),
        ],
        [ProblemCodes.CurveNotAllowed] = [new(ProblemCodes.CurveNotAllowed, Card, "Re-issue on a curve TLS accepts for signatures: P-256 or P-384.")],
        [ProblemCodes.ChromeLacksCurveInTls12] = [new(ProblemCodes.ChromeLacksCurveInTls12, Server, "Enable TLS 1.3 on the server (Chrome offers no P-521 group in TLS 1.2), or re-issue on P-256/P-384.")],
        [ProblemCodes.BrainpoolNotInBrowsers] = [new(ProblemCodes.BrainpoolNotInBrowsers, Card, "Chrome and Firefox do not implement the brainpool TLS 1.3 schemes: re-issue on P-256/P-384 for browser use.")],
        [ProblemCodes.ServerOffersNoUsableScheme] = [new(ProblemCodes.ServerOffersNoUsableScheme, Server, "Add a scheme this key can make to the server's CertificateRequest signature_algorithms.")],
        [ProblemCodes.IssuerNotInServerCaList] =
        [
            new(ProblemCodes.IssuerNotInServerCaList, Server, "Add the issuing CA to the CAs the server trusts for client certificates; OpenSSL-based servers name the same file in certificate_authorities (s_server -CAfile, nginx ssl_client_certificate, Apache SSLCACertificateFile)."),
            new(ProblemCodes.IssuerNotInServerCaList, Card, "Use a certificate issued by a CA the server names in its certificate_authorities."),
        ],
        [ProblemCodes.ServerVersionNotAccepted] = [new(ProblemCodes.ServerVersionNotAccepted, Server, "Enable the refused TLS version on the client-auth endpoint: TLS 1.3 keeps the client certificate encrypted; TLS 1.2 is the fallback for PKCS#1-only cards.")],
        [ProblemCodes.ServerRequestsNoCertificate] = [new(ProblemCodes.ServerRequestsNoCertificate, Server, "Make the server request a client certificate (OpenSSL SSL_VERIFY_PEER or s_server -Verify, nginx ssl_verify_client on, Apache SSLVerifyClient require).")],
        [ProblemCodes.EdDsaKeyBreaksLibp11] = [new(ProblemCodes.EdDsaKeyBreaksLibp11, Client, "OpenSSL with the libp11 engine (0.4.12) cannot use any key of a token holding an EdDSA key: use GnuTLS or pkcs11-provider, or move the EdDSA key to another token.")],
        [ProblemCodes.UnlistedMechanismAnswered] = [new(ProblemCodes.UnlistedMechanismAnswered, Client, "The module answers C_GetMechanismInfo for mechanisms it does not list; GnuTLS trusts that answer and tries them. Fix the module configuration so both calls agree.")],
        [ProblemCodes.PinLocked] = [new(ProblemCodes.PinLocked, Card, "The user PIN is locked: unblock it with the PUK/SO PIN at an issuing station. Do not try PINs.")],
        [ProblemCodes.PinFinalTry] = [new(ProblemCodes.PinFinalTry, Card, "One PIN try is left: try no PIN here; have the issuer set a new PIN with the SO PIN (PUK) at an issuing station before any login.")],
        [ProblemCodes.PinCountLow] = [new(ProblemCodes.PinCountLow, Card, "A wrong PIN was entered recently: make sure the right PIN is used before the card locks.")],
        [ProblemCodes.PinToBeChanged] = [new(ProblemCodes.PinToBeChanged, Card, "The PIN must be changed before use.")],
        [ProblemCodes.LoginFailed] = [new(ProblemCodes.LoginFailed, Client, "Check the PIN before the next attempt: every wrong PIN counts toward locking the card. Private keys stay out of this report until a login succeeds.")],
        [ProblemCodes.LoginRefused] = [new(ProblemCodes.LoginRefused, Card, "Settle the PIN state first (see the pin-* findings) or use a reader without a PIN pad for the check; private keys stay out of this report until a login succeeds.")],
        [ProblemCodes.PrivateObjectsHidden] = [new(ProblemCodes.PrivateObjectsHidden, Client, "Private keys are hidden until login: give the PIN with --pin-stdin, --pin-env NAME or --pin-file PATH.")],
        [ProblemCodes.NoPrivateKeys] = [new(ProblemCodes.NoPrivateKeys, Card, "The token holds no private key: enrol the card.")],
    }.ToFrozenDictionary();

    public static IReadOnlyList<Remedy> For(string problemCode) => ByCode.TryGetValue(problemCode, out var r) ? r : [];

    public static IReadOnlyList<Remedy> For(IEnumerable<Problem> problems) =>
        [.. problems.SelectMany(p => For(p.Code)).DistinctBy(r => (r.Code, r.Side))];
}
