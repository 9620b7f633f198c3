using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.SelfTest;
using TokenService.Verdicts;
using Xunit;

namespace TokenService.Tests.Unit.SelfTest;

/// <summary>
/// The self-test against software tokens: what it asks the token to sign on each route, how it judges the
/// answer, and how the report builder recomputes the verdict from what it saw.
/// </summary>
public sealed class SelfTestRunTests
{
    private static readonly FakeTimeProvider Time = new(SoftwareToken.Now);

    [Fact]
    public void Run_FullRsaToken_SignsAndVerifiesEveryUsableRoute()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs, Mechanisms.RsaPkcsPss, Mechanisms.RsaX509);

        var outcomes = Run(token);

        var request = Assert.Single(token.Requests);
        Assert.Equal(("software", "0001"), (request.TokenLabel, request.SerialNumber));
        var routed = outcomes.Where(o => o.Route is not null).ToList();
        // TLS 1.3: 3 PSS schemes x (CKM_RSA_PKCS_PSS, CKM_RSA_X_509); TLS 1.2: the same plus 3 PKCS#1.
        Assert.Equal(15, routed.Count);
        Assert.All(routed, o => Assert.True(o.Result == SelfTestResult.Passed, $"{o.Scheme.Name} via {o.Route!.MechanismName}: {o.Detail}"));
        Assert.All(routed, o => Assert.Contains("verified with the certificate's public key", o.Detail));
        Assert.All(routed.Where(o => o.Route == SigningRoutes.RawRsa), o => Assert.EndsWith("(a route clients fall back to)", o.Detail));
        var pkcs1In13 = Assert.Single(outcomes, o => o.Version == TlsVersion.Tls13 && o.Scheme == SignatureSchemes.RsaPkcs1Sha256);
        Assert.Equal((SelfTestResult.NotAttempted, (SigningRoute?)null), (pkcs1In13.Result, pkcs1In13.Route));
        Assert.Contains("pkcs1-forbidden-in-tls13", pkcs1In13.Detail);
    }

    [Fact]
    public void Run_RsaToken_SendsWhatEachRouteTakes()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs, Mechanisms.RsaPkcsPss, Mechanisms.RsaX509);

        Run(token);

        var items = token.Requests.Single().Items;
        Assert.All(items.Where(i => i.Mechanism == Mechanisms.RsaPkcs), i => Assert.Equal(0x30, i.Data[0])); // a DigestInfo
        Assert.All(items.Where(i => i.Mechanism == Mechanisms.RsaX509), i =>
        {
            Assert.Equal(256, i.Data.Length); // a k-octet block
            Assert.Equal(0xBC, i.Data[^1]);
            Assert.Null(i.Pss);
        });
        var pss = items.Where(i => i.Mechanism == Mechanisms.RsaPkcsPss).ToList();
        Assert.Equal(6, pss.Count);
        Assert.All(pss, i => Assert.Equal((ulong)i.Data.Length, i.Pss!.SaltLength));
        Assert.Contains(pss, i => i.Pss == new TokenService.Drivers.Pkcs11.PssParameters(Mechanisms.Sha384, Mechanisms.MgfSha384, 48));
    }

    [Fact]
    public void Run_EcKey_SendsDigestAndVerifiesTheDerForm()
    {
        using var token = SoftwareToken.EcP256();

        var routed = Run(token).Where(o => o.Route is not null).ToList();

        Assert.Equal(["ecdsa_secp256r1_sha256", "ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"], routed.Select(o => o.Scheme.Name));
        Assert.All(routed, o => Assert.Equal(SelfTestResult.Passed, o.Result));
        Assert.All(routed, o => Assert.Contains("r‖s (64 bytes) sent as a DER ECDSA-Sig-Value", o.Detail));
        Assert.Equal([32, 32, 48, 64], token.Requests.Single().Items.Select(i => i.Data.Length));
    }

    [Fact]
    public void Run_Ed25519KeyWithoutCertificate_SignsTheWholeContentAndUsesTheTokensPublicKey()
    {
        using var token = SoftwareToken.Ed25519();

        var routed = Run(token).Where(o => o.Route is not null).ToList();

        Assert.Equal(2, routed.Count);
        Assert.All(routed, o => Assert.Equal(SelfTestResult.Passed, o.Result));
        Assert.All(routed, o => Assert.Contains("the token's public key (no certificate on the token)", o.Detail));
        // PureEdDSA gets the TLS 1.3 content itself: 64 spaces, context, separator, 32-byte transcript hash.
        Assert.Equal(64 + 33 + 1 + 32, token.Requests.Single().Items[0].Data.Length);
    }

    [Fact]
    public void Run_TokenRefusesListedPss_FailsWithCkrAndEngineFallsBackToSoftwarePss()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs, Mechanisms.RsaPkcsPss, Mechanisms.RsaX509);
        token.Refusals[Mechanisms.RsaPkcsPss] = "CKR_MECHANISM_INVALID";

        var selfTest = SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, Pin(), token.Sign, RandomNumberGenerator.Fill);

        var outcomes = selfTest.For(token.Snapshot, token.Key);
        Assert.All(outcomes.Where(o => o.Route == SigningRoutes.Pss), o =>
        {
            Assert.Equal((SelfTestResult.Failed, "CKR_MECHANISM_INVALID"), (o.Result, o.ReturnValue));
            Assert.Contains("C_SignInit returned CKR_MECHANISM_INVALID", o.Detail);
        });
        Assert.All(outcomes.Where(o => o.Route == SigningRoutes.RawRsa), o => Assert.Equal(SelfTestResult.Passed, o.Result));

        var key = Build(token, selfTest);
        var pss256 = Assert.Single(key.Tls13.Schemes, s => s.Name == "rsa_pss_rsae_sha256");
        Assert.True(pss256.Usable);
        Assert.Equal("CKM_RSA_X_509", pss256.Route);
        Assert.Contains("software-padding", pss256.Reasons);
        var chrome = Assert.Single(key.Clients, c => c.Stack == "chrome-linux").Tls13;
        Assert.Equal("signing-refused", chrome.Cause);
        Assert.Contains("(-141): token returned CKR_MECHANISM_INVALID", chrome.Error);
        Assert.Equal("ok", Assert.Single(key.Clients, c => c.Stack == "openssl-libp11").Tls13.Outcome);
        // Some clients now fail both versions (Chrome on Linux is refused PSS in TLS 1.3 and tries nothing else).
        Assert.Equal("client-dependent", key.Verdict);
        Assert.Contains(key.Problems, p => p.Code == "self-test-failed" && p.Message.Contains("CKM_RSA_PKCS_PSS"));
    }

    [Fact]
    public void Run_TokenRefusesEveryPssRoute_NoClientCompletesTls13()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs, Mechanisms.RsaPkcsPss, Mechanisms.RsaX509);
        token.Refusals[Mechanisms.RsaPkcsPss] = "CKR_MECHANISM_INVALID";
        token.Refusals[Mechanisms.RsaX509] = "CKR_KEY_FUNCTION_NOT_PERMITTED";

        var key = Build(token, SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, Pin(), token.Sign, RandomNumberGenerator.Fill));

        Assert.False(key.Tls13.Capable);
        Assert.All(key.Tls13.Schemes.Where(s => s.Name.StartsWith("rsa_pss_rsae", StringComparison.Ordinal)), s =>
            Assert.Equal(["self-test-failed"], s.Reasons));
        Assert.DoesNotContain(key.Clients, c => c.Tls13.Outcome == "ok");
        Assert.Equal("client-dependent", key.Verdict); // OpenSSL+libp11 picks PSS in TLS 1.2 too, and is refused
        var libp11 = Assert.Single(key.Clients, c => c.Stack == "openssl-libp11");
        Assert.Contains("CKR_KEY_FUNCTION_NOT_PERMITTED", libp11.Tls13.Error); // its last try, software PSS, refused
    }

    [Fact]
    public void Run_SignatureDoesNotVerify_FailsAndClientsMeetDecryptError()
    {
        using var token = SoftwareToken.EcP256();
        token.Spoil = true;

        var selfTest = SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, Pin(), token.Sign, RandomNumberGenerator.Fill);

        Assert.All(selfTest.For(token.Snapshot, token.Key).Where(o => o.Route is not null), o =>
        {
            Assert.Equal((SelfTestResult.Failed, (string?)null), (o.Result, o.ReturnValue));
            Assert.StartsWith("signature does not verify with the certificate's public key", o.Detail);
        });
        var key = Build(token, selfTest);
        Assert.Equal("incompatible", key.Verdict);
        Assert.Contains("self-test-failed", Assert.Single(key.Tls13.Schemes, s => s.Name == "ecdsa_secp256r1_sha256").Reasons);
        Assert.Equal("bad-signature", Assert.Single(key.Clients, c => c.Stack == "chrome-linux").Tls13.Cause);
    }

    [Fact]
    public void Run_InventoryLoginFailed_NeverAsksTheToken()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs).WithLogin(LoginOutcome.Failed, "C_Login returned CKR_PIN_INCORRECT");

        var routed = Run(token).Where(o => o.Route is not null).ToList();

        Assert.Empty(token.Requests);
        Assert.NotEmpty(routed);
        Assert.All(routed, o =>
        {
            Assert.Equal(SelfTestResult.NotAttempted, o.Result);
            Assert.Contains("CKR_PIN_INCORRECT", o.Detail);
            Assert.Contains("does not log in again", o.Detail);
        });
    }

    [Fact]
    public void Run_NoPin_NeverAsksTheToken()
    {
        using var token = SoftwareToken.Rsa(Mechanisms.RsaPkcs);

        var outcomes = SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, pin: null, token.Sign, RandomNumberGenerator.Fill)
            .For(token.Snapshot, token.Key);

        Assert.Empty(token.Requests);
        Assert.All(outcomes.Where(o => o.Route is not null), o => Assert.StartsWith("no PIN given", o.Detail));
    }

    [Fact]
    public void Build_WithAndWithoutSelfTest_SelfTestIsAListOrNullInTheContract()
    {
        using var token = SoftwareToken.EcP256();
        var selfTest = SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, Pin(), token.Sign, RandomNumberGenerator.Fill);

        var without = JsonSerializer.Serialize(ReportBuilder.Build(token.Module(), ServerModel.StockOpenSsl3, Time), ContractsJsonContext.Default.TokenReport);
        var with = JsonDocument.Parse(JsonSerializer.Serialize(ReportBuilder.Build(token.Module(), ServerModel.StockOpenSsl3, Time, selfTest), ContractsJsonContext.Default.TokenReport));

        Assert.Contains("\"selfTest\": null", without);
        var first = with.RootElement.GetProperty("tokens")[0].GetProperty("keys")[0].GetProperty("selfTest")[0];
        Assert.Equal(["tls", "scheme", "route", "result", "returnValue", "detail"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("1.3", "ecdsa_secp256r1_sha256", "CKM_ECDSA", "passed"),
            (first.GetProperty("tls").GetString(), first.GetProperty("scheme").GetString(), first.GetProperty("route").GetString(), first.GetProperty("result").GetString()));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("returnValue").ValueKind);
    }

    private static byte[] Pin() => "246810"u8.ToArray();

    private static IReadOnlyList<SelfTestOutcome> Run(SoftwareToken token) =>
        SelfTestRun.Run(token.Module(), ServerModel.StockOpenSsl3, Pin(), token.Sign, RandomNumberGenerator.Fill).For(token.Snapshot, token.Key);

    private static KeyEntry Build(SoftwareToken token, SelfTestReport selfTest) =>
        ReportBuilder.Build(token.Module(), ServerModel.StockOpenSsl3, Time, selfTest).Tokens.Single().Keys.Single();
}
