using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts.Clients;
using static TokenService.Tests.Unit.TestData.Cards;

namespace TokenService.Tests.Unit.Verdicts.Clients;

/// <summary>
/// What each client stack does with each card family against stock `openssl s_server -Verify 1` (shared
/// facts §3, §7). An expectation reads `ok SCHEME`, or `CAUSE[@SCHEME]: FRAGMENT` where FRAGMENT is part of
/// the error the user sees.
/// </summary>
public sealed class ClientStackTests
{
    private const string ChromeLinux = "chrome-linux", ChromeWindows = "chrome-windows", ChromeMac = "chrome-macos";
    private const string Firefox = "firefox", GnuTls = "gnutls", OpenSsl = "openssl-libp11", Java = "java";

    private const string OkPss = "ok rsa_pss_rsae_sha256", OkPkcs1 = "ok rsa_pkcs1_sha256";
    private const string OkP256 = "ok ecdsa_secp256r1_sha256", OkP384 = "ok ecdsa_secp384r1_sha384", OkP521 = "ok ecdsa_secp521r1_sha512";

    /// <summary>(stack, card family, TLS 1.3 expectation, TLS 1.2 expectation).</summary>
    private static readonly (string Stack, string Family, string Tls13, string Tls12)[] Table =
    [
        // Chrome on Linux: PSS only if the slot lists bare CKM_RSA_PKCS_PSS; PKCS#1 first in TLS 1.2, no retry (§7).
        (ChromeLinux, FullRsa, OkPss, OkPkcs1),
        (ChromeLinux, Pkcs1Only, "no-common-algorithm: (-177)", OkPkcs1),
        (ChromeLinux, RawPkcs1, "no-common-algorithm: (-177)", OkPkcs1),
        (ChromeLinux, HashedPssOnly, "no-common-algorithm: (-177)", OkPkcs1),
        (ChromeLinux, HashedOnly, "no-common-algorithm: (-177)", "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeLinux, PssNoPkcs1, OkPss, "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeLinux, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: (-141)", OkPkcs1),
        (ChromeLinux, SignFalse, "signing-refused@rsa_pss_rsae_sha256: (-141)", "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeLinux, Rsa1024, "server-rejected-certificate@rsa_pss_rsae_sha256: EE key too small", "server-rejected-certificate@rsa_pkcs1_sha256: EE key too small"),
        (ChromeLinux, P256, OkP256, OkP256),
        (ChromeLinux, P384, OkP384, OkP256),
        (ChromeLinux, P521, OkP521, "curve-not-offered@ecdsa_secp256r1_sha256: (-107)"),
        (ChromeLinux, Secp256k1, "no-common-algorithm: (-177)", "no-common-algorithm: (-177)"),
        (ChromeLinux, Ed25519, "certificate-not-offered: (-117): no certificate sent", "certificate-not-offered: (-117): no certificate sent"),
        (ChromeLinux, Expired, "certificate-not-offered: expired", "certificate-not-offered: expired"),
        (ChromeLinux, NoDigitalSignature, "certificate-not-offered: digitalSignature", "certificate-not-offered: digitalSignature"),
        (ChromeLinux, Mismatched, "bad-signature@rsa_pss_rsae_sha256: (-153)", "bad-signature@rsa_pkcs1_sha256: (-153)"),
        (ChromeLinux, NoCertificate, "no-certificate: no certificate for this key", "no-certificate: no certificate for this key"),
        // Paired by CKA_ID because the token shows no public key: the convention is assumed, not a mismatch (§2).
        (ChromeLinux, EcNoPublicKey, OkP256, OkP256),

        // Chrome on Windows: the CNG KSP claims PSS for every key; PSS is attempted and the driver fails (§3).
        (ChromeWindows, FullRsa, OkPss, OkPkcs1),
        (ChromeWindows, Pkcs1Only, "signing-refused@rsa_pss_rsae_sha256: (-141)", OkPkcs1),
        (ChromeWindows, RawPkcs1, OkPss, OkPkcs1),
        (ChromeWindows, HashedPssOnly, "signing-refused@rsa_pss_rsae_sha256: (-141)", OkPkcs1),
        (ChromeWindows, HashedOnly, "signing-refused@rsa_pss_rsae_sha256: (-141)", "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeWindows, PssNoPkcs1, OkPss, "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeWindows, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: (-141)", OkPkcs1),
        (ChromeWindows, SignFalse, "signing-refused@rsa_pss_rsae_sha256: (-141)", "signing-refused@rsa_pkcs1_sha256: (-141)"),
        (ChromeWindows, Rsa1024, "server-rejected-certificate@rsa_pss_rsae_sha256: (-117)", "server-rejected-certificate@rsa_pkcs1_sha256: (-117)"),
        (ChromeWindows, P256, OkP256, OkP256),
        (ChromeWindows, P521, OkP521, "curve-not-offered@ecdsa_secp256r1_sha256: (-107)"),
        (ChromeWindows, Ed25519, "certificate-not-offered: (-117)", "certificate-not-offered: (-117)"),
        (ChromeWindows, Expired, "certificate-not-offered: expired", "certificate-not-offered: expired"),
        (ChromeWindows, Mismatched, "bad-signature@rsa_pss_rsae_sha256: (-153)", "bad-signature@rsa_pkcs1_sha256: (-153)"),

        // Chrome on macOS: asks per algorithm, pads PSS itself over raw RSA; -177 when neither exists (§3).
        (ChromeMac, FullRsa, OkPss, OkPkcs1),
        (ChromeMac, Pkcs1Only, "no-common-algorithm: (-177)", OkPkcs1),
        (ChromeMac, RawPkcs1, OkPss, OkPkcs1),
        (ChromeMac, HashedPssOnly, "no-common-algorithm: (-177)", OkPkcs1),
        (ChromeMac, HashedOnly, "no-common-algorithm: (-177)", "no-common-algorithm: (-177)"),
        (ChromeMac, PssNoPkcs1, OkPss, OkPss),
        (ChromeMac, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: (-141)", OkPkcs1),
        (ChromeMac, P384, OkP384, OkP256),
        (ChromeMac, P521, OkP521, "curve-not-offered@ecdsa_secp256r1_sha256: (-107)"),
        (ChromeMac, Ed25519, "certificate-not-offered: (-117)", "certificate-not-offered: (-117)"),
        (ChromeMac, NoDigitalSignature, "certificate-not-offered: digitalSignature", "certificate-not-offered: digitalSignature"),

        // Firefox (NSS): PSS only if the slot lists it (ssl_CanUseSignatureScheme's slotDoesPss), PSS first in
        // both versions; with nothing usable it sends an empty Certificate (§3).
        (Firefox, FullRsa, OkPss, OkPss),
        (Firefox, Pkcs1Only, "no-common-algorithm: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", OkPkcs1),
        (Firefox, RawPkcs1, "no-common-algorithm: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", OkPkcs1),
        (Firefox, HashedPssOnly, "no-common-algorithm: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", OkPkcs1),
        (Firefox, HashedOnly, "no-common-algorithm: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", "signing-refused@rsa_pkcs1_sha256: signing failed in the token"),
        (Firefox, PssNoPkcs1, OkPss, OkPss),
        (Firefox, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID", "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID"),
        (Firefox, SignFalse, "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED", "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED"),
        (Firefox, Rsa1024, "server-rejected-certificate@rsa_pss_rsae_sha256: SSL_ERROR_BAD_CERT_ALERT", "server-rejected-certificate@rsa_pss_rsae_sha256: SSL_ERROR_BAD_CERT_ALERT"),
        (Firefox, P256, OkP256, OkP256),
        (Firefox, P384, OkP384, OkP256),
        (Firefox, P521, OkP521, OkP256),
        (Firefox, Secp256k1, "no-common-algorithm: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT", "no-common-algorithm: SSL_ERROR_HANDSHAKE_FAILURE_ALERT"),
        (Firefox, Ed25519, "certificate-not-offered: Ed25519", "certificate-not-offered: Ed25519"),
        (Firefox, Expired, "certificate-not-offered: expired", "certificate-not-offered: expired"),
        (Firefox, NoDigitalSignature, "certificate-not-offered: digitalSignature", "certificate-not-offered: digitalSignature"),
        (Firefox, Mismatched, "bad-signature@rsa_pss_rsae_sha256: SSL_ERROR_DECRYPT_ERROR_ALERT", "bad-signature@rsa_pss_rsae_sha256: SSL_ERROR_DECRYPT_ERROR_ALERT"),
        (Firefox, NoCertificate, "no-certificate: no certificate", "no-certificate: no certificate"),

        // GnuTLS: PSS when C_GetMechanismInfo(CKM_RSA_PKCS_PSS) answers and CKA_SIGN is true; server order (§3, §7).
        (GnuTls, FullRsa, OkPss, OkPss),
        (GnuTls, Pkcs1Only, "no-common-algorithm: no certificate sent; server alert certificate_required", OkPkcs1),
        (GnuTls, RawPkcs1, "no-common-algorithm: certificate_required", OkPkcs1),
        (GnuTls, HashedPssOnly, "no-common-algorithm: certificate_required", OkPkcs1),
        (GnuTls, HashedOnly, "no-common-algorithm: certificate_required", "signing-refused@rsa_pkcs1_sha256: GNUTLS_E_PK_SIGN_FAILED"),
        (GnuTls, UnlistedPss, "signing-refused@rsa_pss_rsae_sha256: GNUTLS_E_PK_SIGN_FAILED (CKR_MECHANISM_INVALID)", "signing-refused@rsa_pss_rsae_sha256: GNUTLS_E_PK_SIGN_FAILED"),
        (GnuTls, PssNoPkcs1, OkPss, OkPss),
        (GnuTls, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: GNUTLS_E_PK_SIGN_FAILED", "signing-refused@rsa_pss_rsae_sha256: GNUTLS_E_PK_SIGN_FAILED"),
        (GnuTls, SignFalse, "no-common-algorithm: certificate_required", "signing-refused@rsa_pkcs1_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED"),
        (GnuTls, Rsa1024, "server-rejected-certificate@rsa_pss_rsae_sha256: EE key too small", "server-rejected-certificate@rsa_pss_rsae_sha256: EE key too small"),
        (GnuTls, P256, OkP256, OkP256),
        (GnuTls, P384, OkP384, OkP256),
        (GnuTls, P521, OkP521, OkP256),
        (GnuTls, Secp256k1, "no-common-algorithm: certificate_required", "no-common-algorithm: handshake_failure"),
        (GnuTls, Ed25519, "ok ed25519", "ok ed25519"),
        (GnuTls, Expired, "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired", "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired"),
        (GnuTls, NoDigitalSignature, "server-rejected-certificate@rsa_pss_rsae_sha256: unsupported certificate purpose", "server-rejected-certificate@rsa_pss_rsae_sha256: unsupported certificate purpose"),
        (GnuTls, Mismatched, "bad-signature@rsa_pss_rsae_sha256: decrypt_error", "bad-signature@rsa_pss_rsae_sha256: decrypt_error"),
        (GnuTls, NoCertificate, "no-certificate: no certificate", "no-certificate: no certificate"),
        (GnuTls, EcNoPublicKey, OkP256, OkP256),

        // OpenSSL 3 + libp11: checks nothing, server order (PSS first in TLS 1.2 too), software PSS over raw RSA (§3, §7).
        (OpenSsl, FullRsa, OkPss, OkPss),
        (OpenSsl, Pkcs1Only, "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID", "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID"),
        (OpenSsl, RawPkcs1, OkPss, OkPss),
        (OpenSsl, HashedPssOnly, "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID", "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID"),
        (OpenSsl, HashedOnly, "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID", "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID"),
        (OpenSsl, PssNoPkcs1, OkPss, OkPss),
        (OpenSsl, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID", "signing-refused@rsa_pss_rsae_sha256: CKR_MECHANISM_INVALID"),
        (OpenSsl, SignFalse, "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED", "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED"),
        (OpenSsl, Rsa1024, "client-refused-key: ee key too small", "client-refused-key: ee key too small"),
        (OpenSsl, P256, OkP256, OkP256),
        (OpenSsl, P384, OkP384, OkP256),
        (OpenSsl, P521, OkP521, OkP256),
        (OpenSsl, Secp256k1, "no-common-algorithm: certificate_required", "curve-not-offered@ecdsa_secp256r1_sha256: curve"), // measured by tests/Hardware/Handshakes/LiveHandshakeTests: the client signs, the server refuses the curve
        (OpenSsl, Ed25519, "engine-cannot-load-token: EdDSA", "engine-cannot-load-token: EdDSA"),
        (OpenSsl, Expired, "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired", "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired"),
        (OpenSsl, NoDigitalSignature, "server-rejected-certificate@rsa_pss_rsae_sha256: unsupported certificate purpose", "server-rejected-certificate@rsa_pss_rsae_sha256: unsupported certificate purpose"),
        (OpenSsl, Mismatched, "client-refused-key: does not match the certificate", "client-refused-key: does not match the certificate"),
        (OpenSsl, NoCertificate, "no-certificate: no certificate", "no-certificate: no certificate"),
        (OpenSsl, EcNoPublicKey, OkP256, OkP256),

        // Java SunPKCS11: RSASSA-PSS only if the token lists CKM_RSA_PKCS_PSS; hashes on the token where it can (§3).
        (Java, FullRsa, OkPss, OkPss),
        (Java, Pkcs1Only, "no-common-algorithm: No supported CertificateVerify signature algorithm", OkPkcs1),
        (Java, RawPkcs1, "no-common-algorithm: No supported CertificateVerify signature algorithm", OkPkcs1),
        (Java, HashedPssOnly, "no-common-algorithm: No supported CertificateVerify signature algorithm", OkPkcs1),
        (Java, HashedOnly, "no-common-algorithm: No supported CertificateVerify signature algorithm", OkPkcs1),
        (Java, PssNoPkcs1, OkPss, OkPss),
        (Java, AllowedPkcs1, "signing-refused@rsa_pss_rsae_sha256: ProviderException", "signing-refused@rsa_pss_rsae_sha256: ProviderException"),
        (Java, SignFalse, "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED", "signing-refused@rsa_pss_rsae_sha256: CKR_KEY_FUNCTION_NOT_PERMITTED"),
        (Java, Rsa1024, "server-rejected-certificate@rsa_pss_rsae_sha256: EE key too small", "server-rejected-certificate@rsa_pss_rsae_sha256: EE key too small"),
        (Java, P256, OkP256, OkP256),
        (Java, P521, OkP521, OkP256),
        (Java, Secp256k1, "no-common-algorithm: No supported", "no-common-algorithm: No supported"),
        (Java, Ed25519, "no-common-algorithm: No supported", "no-common-algorithm: No supported"),
        (Java, Expired, "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired", "server-rejected-certificate@rsa_pss_rsae_sha256: certificate has expired"),
        (Java, Mismatched, "bad-signature@rsa_pss_rsae_sha256: decrypt_error", "bad-signature@rsa_pss_rsae_sha256: decrypt_error"),
        (Java, NoCertificate, "no-certificate: no certificate", "no-certificate: no certificate"),
    ];

    public static TheoryData<string, string, Proto, string> StockServer()
    {
        var data = new TheoryData<string, string, Proto, string>();
        foreach (var (stack, family, tls13, tls12) in Table)
        {
            data.Add(stack, family, Proto.V13, tls13);
            data.Add(stack, family, Proto.V12, tls12);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StockServer))]
    public void Predict_CardFamilyAgainstStockOpenSsl_MatchesMeasuredOrModeledBehaviour(string stack, string family, Proto version, string expected)
    {
        var outcome = Engine.Predict(stack, Get(family), version);

        AssertOutcome(expected, outcome);
    }

    [Theory]
    // OpenSSL picks PSS first from a stock server even in TLS 1.2; a server without PSS lets PKCS#1 through (§3, §7).
    [InlineData(OpenSsl, Pkcs1Only, Servers.NoPss, Proto.V12, OkPkcs1)]
    [InlineData(OpenSsl, Pkcs1Only, Servers.NoPss, Proto.V13, "no-common-algorithm: certificate_required")]
    [InlineData(OpenSsl, AllowedPkcs1, Servers.NoPss, Proto.V12, OkPkcs1)]
    // RFC 9963: Chrome signs rsa_pkcs1_sha256_legacy for a key without PSS when the server offers it.
    [InlineData(ChromeLinux, Pkcs1Only, Servers.Legacy, Proto.V13, "ok rsa_pkcs1_sha256_legacy")]
    [InlineData(ChromeLinux, FullRsa, Servers.Legacy, Proto.V13, OkPss)]
    [InlineData(GnuTls, Pkcs1Only, Servers.Legacy, Proto.V13, "no-common-algorithm: certificate_required")]
    // A server policy without PSS leaves a PSS-only key nothing (docs/tls-client-auth.md §4, server policy).
    [InlineData(ChromeLinux, PssNoPkcs1, Servers.NoPss, Proto.V13, "no-common-algorithm: (-177)")]
    public void Predict_AgainstAnotherServerList_FollowsThatList(string stack, string family, string server, Proto version, string expected)
    {
        var outcome = Engine.Predict(stack, Get(family), version, Servers.Get(server));

        AssertOutcome(expected, outcome);
    }

    [Fact]
    public void ClientCauses_EveryConstant_PredictedForSomeCardFamily()
    {
        var produced = Table
            .SelectMany(r => new[] { (r.Family, Proto.V13), (r.Family, Proto.V12) }.Select(v => Engine.Predict(r.Stack, Get(v.Family), v.Item2).Cause))
            .ToHashSet();

        // The server-requirement causes need a probed server model: ServerRequirementPredictionTests covers them.
        string[] serverDriven = [ClientCauses.VersionNotAccepted, ClientCauses.NoCertificateRequested, ClientCauses.IssuerNotAccepted];
        Assert.Empty(SchemeRulesTests.Constants(typeof(ClientCauses)).Except(serverDriven).Except(produced!));
    }

    [Fact]
    public void ClientStacks_All_HaveDistinctContractNamesAndKnownBasis()
    {
        Assert.Equal(
            [ChromeLinux, ChromeWindows, ChromeMac, Firefox, GnuTls, OpenSsl, Java],
            ClientStacks.All.Select(c => c.Name));
        Assert.All(ClientStacks.All, c => Assert.Contains(c.Basis, new[] { "tested-here", "lab-measured", "modeled" }));
    }

    private static void AssertOutcome(string expected, ClientOutcome outcome)
    {
        if (expected.StartsWith("ok ", StringComparison.Ordinal))
        {
            Assert.True(outcome.Ok, $"expected {expected}, got {outcome.Cause}: {outcome.Error}");
            Assert.Equal(expected[3..], outcome.Scheme?.Name);
            Assert.Null(outcome.Error);
            Assert.Null(outcome.Cause);
            return;
        }

        var colon = expected.IndexOf(": ", StringComparison.Ordinal);
        var head = expected[..colon].Split('@');
        Assert.False(outcome.Ok, $"expected {expected}, got ok {outcome.Scheme?.Name}");
        Assert.Equal(head[0], outcome.Cause);
        Assert.Equal(head.Length > 1 ? head[1] : null, outcome.Scheme?.Name);
        Assert.Contains(expected[(colon + 2)..], outcome.Error, StringComparison.Ordinal);
    }
}
