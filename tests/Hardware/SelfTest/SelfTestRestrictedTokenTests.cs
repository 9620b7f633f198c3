using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.SelfTest;

/// <summary>
/// A mechanism list is a claim. On a token restricted after key creation, SoftHSM still claims CKM_RSA_PKCS_PSS
/// through C_GetMechanismInfo but refuses it at C_SignInit; listed by the shim, the engine believes the claim
/// until the self-test signs. Also the PIN rules of the self-test, counted through pkcs11-spy.
/// </summary>
[Collection(RestrictedTokenCollection.Name)]
public sealed class SelfTestRestrictedTokenTests(RestrictedTokenFixture token)
{
    private static readonly string[] PssSchemes = ["rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"];

    [Fact]
    public async Task Check_SoftHsmRestricted_ClaimsPssOnlyThroughMechanismInfo()
    {
        var (_, report) = await RestrictedTokenFixture.CheckAsync(
            Repo.SoftHsmModule, new Dictionary<string, string> { ["SOFTHSM2_CONF"] = token.RestrictedConfig }, "--pin-file", token.PinFile);

        var entry = Assert.Single(report.Tokens);
        var pss = Assert.Single(entry.Mechanisms, m => m.Name == "CKM_RSA_PKCS_PSS");
        Assert.False(pss.Listed);
        Assert.Contains("CKF_SIGN", pss.Flags);
        var key = Assert.Single(entry.Keys);
        Assert.All(key.Tls13.Schemes.Where(s => PssSchemes.Contains(s.Name)), s => Assert.Contains("mechanism-missing", s.Reasons));
        // No client completes TLS 1.3; GnuTLS (trusting the unlisted answer) and OpenSSL+libp11 fail TLS 1.2 too.
        Assert.DoesNotContain(key.Clients, c => c.Tls13.Outcome == "ok");
        Assert.Equal("client-dependent", key.Verdict);
    }

    [Fact]
    public async Task Check_ShimListsTheClaim_EngineBelievesPssWithoutSelfTest()
    {
        var (result, report) = await RestrictedTokenFixture.CheckAsync(token.ShimPath, token.ShimEnvironment(), "--pin-file", token.PinFile);

        var key = Assert.Single(Assert.Single(report.Tokens).Keys);
        Assert.Null(key.SelfTest);
        Assert.All(key.Tls13.Schemes.Where(s => PssSchemes.Contains(s.Name)), s =>
        {
            Assert.True(s.Usable, s.Name);
            Assert.Equal("CKM_RSA_PKCS_PSS", s.Route);
        });
        Assert.Equal("compatible", key.Verdict);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task SelfTest_ListedPssRefusedAtSignInit_FailsWithCkrAndNoClientKeepsTls13()
    {
        var (result, report) = await RestrictedTokenFixture.CheckAsync(
            token.ShimPath, token.ShimEnvironment(), "--pin-file", token.PinFile, "--self-test");

        var key = Assert.Single(Assert.Single(report.Tokens).Keys);
        var selfTest = Assert.IsAssignableFrom<IReadOnlyList<SelfTestEntry>>(key.SelfTest);

        // What the token did: every PSS signature refused at C_SignInit, every PKCS#1 one made and verified.
        var pss = selfTest.Where(e => e.Route == "CKM_RSA_PKCS_PSS").ToList();
        Assert.Equal(6, pss.Count);
        Assert.All(pss, e =>
        {
            Assert.Equal("failed", e.Result);
            Assert.Equal("CKR_MECHANISM_INVALID", e.ReturnValue);
            Assert.Contains("C_SignInit returned CKR_MECHANISM_INVALID", e.Detail);
        });
        var pkcs1 = selfTest.Where(e => e.Route == "CKM_RSA_PKCS").ToList();
        Assert.Equal(3, pkcs1.Count);
        Assert.All(pkcs1, e => Assert.Equal("passed", e.Result));
        Assert.All(pkcs1, e => Assert.Contains("the certificate's public key", e.Detail));

        // What the engine makes of it: the claim is withdrawn and everything downstream recomputed.
        Assert.All(key.Tls13.Schemes.Where(s => PssSchemes.Contains(s.Name)), s =>
        {
            Assert.False(s.Usable, s.Name);
            Assert.Contains("self-test-failed", s.Reasons);
        });
        Assert.False(key.Tls13.Capable);
        Assert.DoesNotContain(key.Clients, c => c.Tls13.Outcome == "ok");
        Assert.Equal("client-dependent", key.Verdict); // OpenSSL+libp11 picks PSS in TLS 1.2 too, and is refused
        Assert.Equal(6, result.ExitCode);
        Assert.Contains(key.Problems, p => p.Code == "self-test-failed" && p.Message.Contains("CKR_MECHANISM_INVALID"));
        Assert.Contains(key.Remediation, r => r.Code == "self-test-failed");

        // Chrome on Linux believes the listed PSS, signs, and the token refuses: -141 with the real CKR.
        var chrome = Assert.Single(key.Clients, c => c.Stack == "chrome-linux");
        Assert.Equal("fail", chrome.Tls13.Outcome);
        Assert.Equal("signing-refused", chrome.Tls13.Cause);
        Assert.Contains("ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED (-141)", chrome.Tls13.Error);
        Assert.Contains("CKR_MECHANISM_INVALID", chrome.Tls13.Error);
        Assert.Equal("ok", chrome.Tls12.Outcome);
        Assert.Equal("rsa_pkcs1_sha256", chrome.Tls12.Scheme);

        // OpenSSL follows the server's order into PSS in TLS 1.2 too, and meets the same refusal.
        var openssl = Assert.Single(key.Clients, c => c.Stack == "openssl-libp11");
        Assert.Equal("fail", openssl.Tls12.Outcome);
        Assert.Contains("CKR_MECHANISM_INVALID", openssl.Tls12.Error);
    }

    [Fact]
    public async Task SelfTest_ListedPssRefused_TableSaysSoInOneLine()
    {
        var env = token.ShimEnvironment();
        env["NO_COLOR"] = "1";
        var result = await ChildProcess.TokenServiceAsync(
            ["check", "--module", token.ShimPath, "--token", RestrictedTokenFixture.TokenLabel, "--pin-file", token.PinFile, "--self-test"], env);

        Assert.Equal(6, result.ExitCode); // client-dependent: OpenSSL+libp11 and GnuTLS fail both versions
        Assert.Contains("Self-test: TLS 1.3 3 failed; TLS 1.2 3 passed, 3 failed", result.Stdout);
        Assert.Contains(
            "x CKM_RSA_PKCS_PSS: CKR_MECHANISM_INVALID (rsa_pss_rsae_sha256, rsa_pss_rsae_sha384, rsa_pss_rsae_sha512; TLS 1.3 and TLS 1.2)",
            result.Stdout);
    }

    [Fact]
    public async Task SelfTest_WrongPin_OneLoginNothingSignedPinNeverShown()
    {
        var (result, report, calls) = await token.CheckThroughSpyAsync("--pin-file", token.WrongPinFile, "--self-test");

        Assert.Equal(7, result.ExitCode);
        Assert.Single(calls, c => c.Function == "C_Login");
        Assert.DoesNotContain(calls, c => c.Function is "C_SignInit" or "C_Sign");
        var entry = Assert.Single(report.Tokens);
        Assert.Equal("failed", entry.Login);
        var selfTest = Assert.IsAssignableFrom<IReadOnlyList<SelfTestEntry>>(Assert.Single(entry.Keys).SelfTest);
        Assert.NotEmpty(selfTest);
        Assert.All(selfTest, e => Assert.Equal("not-attempted", e.Result));
        Assert.All(selfTest.Where(e => e.Route is not null), e => Assert.Contains("CKR_PIN_INCORRECT", e.Detail));
        foreach (var pin in new[] { RestrictedTokenFixture.WrongPin, RestrictedTokenFixture.UserPin })
        {
            Assert.DoesNotContain(pin, result.Stdout);
            Assert.DoesNotContain(pin, result.Stderr);
        }
    }

    [Fact]
    public async Task SelfTest_NoPin_NoLoginNothingSigned()
    {
        var (_, report, calls) = await token.CheckThroughSpyAsync("--self-test");

        Assert.Contains(calls, c => c.Function == "C_FindObjectsInit");
        Assert.DoesNotContain(calls, c => c.Function is "C_Login" or "C_SignInit" or "C_Sign");
        var selfTest = Assert.IsAssignableFrom<IReadOnlyList<SelfTestEntry>>(Assert.Single(Assert.Single(report.Tokens).Keys).SelfTest);
        var routed = selfTest.Where(e => e.Route is not null).ToList();
        Assert.NotEmpty(routed);
        Assert.All(routed, e =>
        {
            Assert.Equal("not-attempted", e.Result);
            Assert.StartsWith("no PIN given", e.Detail);
        });
    }

    [Fact]
    public async Task SelfTest_RightPin_OneUserLoginForTheSigner()
    {
        var (result, report, spied) = await token.CheckThroughSpyAsync("--pin-file", token.PinFile, "--self-test");

        // One CKU_USER login for the inventory, one for the signer; signatures only after the signer's.
        var calls = spied.ToList();
        var logins = calls.Select((c, i) => (c, i)).Where(x => x.c.Function == "C_Login").ToList();
        Assert.Equal(2, logins.Count);
        Assert.All(logins, l => Assert.Equal("CKU_USER", l.c.UserType));
        Assert.True(calls.FindIndex(c => c.Function == "C_SignInit") > logins[1].i);
        var signed = Assert.IsAssignableFrom<IReadOnlyList<SelfTestEntry>>(Assert.Single(Assert.Single(report.Tokens).Keys).SelfTest)
            .Count(e => e.Result == "passed");
        Assert.Equal(signed, calls.Count(c => c.Function == "C_SignInit"));
        Assert.DoesNotContain(RestrictedTokenFixture.UserPin, result.Stdout + result.Stderr);
    }

    /// <summary>
    /// A gap the self-test found in the engine itself: its tables called rsa_pkcs1_sha384/512 usable on an
    /// RSA-512 key, and SoftHSM's C_Sign refused them (CKR_GENERAL_ERROR): EMSA-PKCS1-v1_5 needs k >= tLen + 11
    /// (RFC 8017 §9.2). Now tables and token agree, and everything the tables call usable signs.
    /// </summary>
    [Fact]
    public async Task SelfTest_Rsa512_TablesAndTokenAgreeOnTheDigestInfoSize()
    {
        var (_, report) = await RestrictedTokenFixture.CheckTokenAsync(
            RestrictedTokenFixture.Rsa512Label, Repo.SoftHsmModule,
            new Dictionary<string, string> { ["SOFTHSM2_CONF"] = token.RestrictedConfig }, "--pin-file", token.PinFile, "--self-test");

        var key = Assert.Single(Assert.Single(report.Tokens).Keys);
        Assert.Equal(512, key.Bits);
        Assert.True(Assert.Single(key.Tls12.Schemes, s => s.Name == "rsa_pkcs1_sha256").Usable);
        Assert.All(key.Tls12.Schemes.Where(s => s.Name is "rsa_pkcs1_sha384" or "rsa_pkcs1_sha512"), s =>
        {
            Assert.False(s.Usable, s.Name);
            Assert.Contains("key-too-small-for-hash", s.Reasons);
        });
        var signed = Assert.Single(key.SelfTest!, e => e.Route is not null);
        Assert.Equal(("rsa_pkcs1_sha256", "passed"), (signed.Scheme, signed.Result));
        Assert.Contains("the token's public key (no certificate on the token)", signed.Detail);
    }
}
