using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Reporting;

public sealed class ReportBuilderTests
{
    [Theory]
    [InlineData(Cards.FullRsa, "compatible", "")]
    [InlineData(Cards.Pkcs1Only, "client-dependent", "no-pss-route")]
    [InlineData(Cards.RawPkcs1, "tls12-only", "tls13-needs-software-pss")]
    [InlineData(Cards.HashedPssOnly, "client-dependent", "pss-only-hashed-on-token")]
    [InlineData(Cards.PssNoPkcs1, "compatible", "no-pkcs1-route")]
    [InlineData(Cards.HashedOnly, "incompatible", "no-usable-scheme")]
    [InlineData(Cards.AllowedPkcs1, "client-dependent", "allowed-mechanisms-exclude-pss")]
    [InlineData(Cards.UnlistedPss, "client-dependent", "unlisted-mechanism-answered")]
    [InlineData(Cards.SignFalse, "incompatible", "key-sign-false")]
    [InlineData(Cards.Rsa1024, "incompatible", "rsa-key-below-server-minimum")]
    [InlineData(Cards.AlwaysAuth, "compatible", "pin-per-signature")]
    [InlineData(Cards.RsaPssCertificate, "client-dependent", "")]
    [InlineData(Cards.P256, "compatible", "")]
    [InlineData(Cards.P384, "compatible", "")]
    [InlineData(Cards.P521, "compatible", "chrome-lacks-curve-in-tls12")]
    [InlineData(Cards.Secp256k1, "incompatible", "curve-not-allowed")]
    [InlineData(Cards.Brainpool, "incompatible", "server-offers-no-usable-scheme")]
    [InlineData(Cards.EcHashedOnly, "incompatible", "no-usable-scheme")]
    [InlineData(Cards.Ed25519, "client-dependent", "")]
    [InlineData(Cards.NoDigitalSignature, "incompatible", "certificate-no-digital-signature")]
    [InlineData(Cards.ServerAuthOnly, "incompatible", "certificate-no-client-auth")]
    [InlineData(Cards.Expired, "incompatible", "certificate-expired")]
    [InlineData(Cards.NotYetValid, "incompatible", "certificate-not-yet-valid")]
    [InlineData(Cards.Mismatched, "incompatible", "certificate-key-mismatch")]
    [InlineData(Cards.NoCertificate, "incompatible", "certificate-missing")]
    [InlineData(Cards.EcNoPublicKey, "compatible", "certificate-key-unverified")]
    public void BuildToken_CardFamily_KeyVerdictAndItsCause(string family, string verdict, string problem)
    {
        var entry = Engine.Report(Cards.Get(family));

        var key = Assert.Single(entry.Keys);
        Assert.Equal(verdict, key.Verdict);
        Assert.Equal(verdict, entry.Verdict);
        if (problem.Length > 0)
        {
            Assert.Contains(problem, key.Problems.Select(p => p.Code));
            Assert.Contains(problem, key.Remediation.Select(r => r.Code));
        }
    }

    /// <summary>
    /// What a verdict promises, checked over every card family, for every modeled client (the default targets):
    /// with no error-level problem on the key, `compatible` holds exactly when every client completes TLS 1.3,
    /// `tls12-only` exactly when every client completes at least TLS 1.2 and some not TLS 1.3, `client-dependent`
    /// when some complete and some fail in both versions, `incompatible` when none completes. An `incompatible` key
    /// always carries the reason: an error-level problem, or the server offering none of its usable schemes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Verdicts.SchemeRulesTests.Families), MemberType = typeof(Verdicts.SchemeRulesTests))]
    public void BuildToken_AnyFamily_VerdictFollowsFromClientsAndProblems(string family)
    {
        var entry = Engine.Report(Cards.Get(family));
        var key = Assert.Single(entry.Keys);

        var error = key.Problems.Any(p => p.Severity == "error");
        var all13 = key.Clients.All(c => c.Tls13.Outcome == "ok");
        var all12 = key.Clients.All(c => c.Tls13.Outcome == "ok" || c.Tls12.Outcome == "ok");
        var none = key.Clients.All(c => c.Tls13.Outcome != "ok" && c.Tls12.Outcome != "ok");

        Assert.Equal(!error && all13, key.Verdict == "compatible");
        Assert.Equal(!error && !all13 && all12, key.Verdict == "tls12-only");
        Assert.Equal(!error && !all12 && !none, key.Verdict == "client-dependent");
        Assert.Equal(error || none, key.Verdict == "incompatible");
        if (key.Verdict == "incompatible")
        {
            Assert.Contains(key.Problems, p => p.Severity == "error" || p.Code == "server-offers-no-usable-scheme");
        }

        Assert.Equal(key.Tls13.Schemes.Any(s => s.Usable), key.Tls13.Capable);
        Assert.Equal(key.Tls12.Schemes.Any(s => s.Usable), key.Tls12.Capable);
    }

    /// <summary>
    /// The client models and the scheme rules agree: a scheme a client completes with is one the rules call
    /// usable (and the server offers). Java is left out: SunPKCS11 signs PKCS#1 and ECDSA with the on-token
    /// hashing mechanisms when the token lists them, a route the rules do not count (docs/tls-client-auth.md §7 measured
    /// OpenSSL, GnuTLS and NSS only).
    /// </summary>
    [Theory]
    [MemberData(nameof(Verdicts.SchemeRulesTests.Families), MemberType = typeof(Verdicts.SchemeRulesTests))]
    public void BuildToken_AnyFamily_ClientsSucceedOnlyWithUsableOfferedSchemes(string family)
    {
        var key = Assert.Single(Engine.Report(Cards.Get(family)).Keys);
        var server = ContractMapping.Server(ServerModel.StockOpenSsl3);

        foreach (var client in key.Clients.Where(c => c.Stack != "java"))
        {
            foreach (var (outcome, capability, offered) in new[] { (client.Tls13, key.Tls13, server.Tls13Schemes), (client.Tls12, key.Tls12, server.Tls12Schemes) })
            {
                if (outcome.Outcome == "ok")
                {
                    Assert.Contains(capability.Schemes, s => s.Name == outcome.Scheme && s.Usable);
                    Assert.Contains(outcome.Scheme, offered);
                    Assert.Null(outcome.Error);
                }
                else
                {
                    Assert.Equal("fail", outcome.Outcome);
                    Assert.False(string.IsNullOrEmpty(outcome.Error));
                    Assert.False(string.IsNullOrEmpty(outcome.Cause));
                }
            }
        }
    }

    [Theory]
    [InlineData(Cards.FullRsa, "rsa_pss_rsae_sha256", "CKM_RSA_PKCS_PSS", "client", "token")]
    [InlineData(Cards.RawPkcs1, "rsa_pss_rsae_sha256", "CKM_RSA_X_509", "client", "client")]
    [InlineData(Cards.P256, "ecdsa_secp256r1_sha256", "CKM_ECDSA", "client", "client")]
    [InlineData(Cards.Ed25519, "ed25519", "CKM_EDDSA", "token", "token")]
    public void BuildToken_UsableScheme_NamesRouteAndWhoHashesAndPads(string family, string scheme, string route, string hashedBy, string paddedBy)
    {
        var entry = Assert.Single(Engine.Report(Cards.Get(family)).Keys).Tls13.Schemes.Single(s => s.Name == scheme);

        Assert.True(entry.Usable);
        Assert.Equal(route, entry.Route);
        Assert.Equal(hashedBy, entry.HashedBy);
        Assert.Equal(paddedBy, entry.PaddedBy);
    }

    [Fact]
    public void BuildToken_UnusableScheme_HasNoRoute()
    {
        var entry = Assert.Single(Engine.Report(Cards.Get(Cards.Pkcs1Only)).Keys).Tls13.Schemes.Single(s => s.Name == "rsa_pss_rsae_sha256");

        Assert.False(entry.Usable);
        Assert.Null(entry.Route);
        Assert.Null(entry.HashedBy);
        Assert.Null(entry.PaddedBy);
        Assert.Equal(["mechanism-missing"], entry.Reasons);
    }

    [Theory]
    [InlineData(0UL, "ok", null, null)]
    [InlineData(TokenFlags.UserPinCountLow, "count-low", "pin-count-low", "warning")]
    [InlineData(TokenFlags.UserPinFinalTry, "final-try", "pin-final-try", "warning")]
    [InlineData(TokenFlags.UserPinLocked, "locked", "pin-locked", "error")]
    [InlineData(TokenFlags.UserPinLocked | TokenFlags.UserPinFinalTry | TokenFlags.UserPinCountLow, "locked", "pin-locked", "error")]
    [InlineData(TokenFlags.UserPinFinalTry | TokenFlags.UserPinCountLow, "final-try", "pin-final-try", "warning")]
    public void BuildToken_PinFlags_PinStatusAndProblem(ulong pinFlags, string pinStatus, string? problem, string? severity)
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Flags(TokenBuilder.DefaultFlags | pinFlags).Key(TestKeys.Rsa2048).Build();

        var entry = Engine.Report(token);

        Assert.Equal(pinStatus, entry.PinStatus);
        var pinProblems = entry.Problems.Where(p => p.Code.StartsWith("pin-", StringComparison.Ordinal)).ToList();
        if (problem is null)
        {
            Assert.Empty(pinProblems);
            return;
        }

        // The worst PIN state only: locked hides final-try and count-low.
        var only = Assert.Single(pinProblems);
        Assert.Equal(problem, only.Code);
        Assert.Equal(severity, only.Severity);
        Assert.Equal(severity == "error" ? "incompatible" : "compatible", entry.Verdict);
        Assert.Equal("compatible", Assert.Single(entry.Keys).Verdict);
    }

    [Fact]
    public void BuildToken_PinNotInitialized_PinStatusNotInitialized()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Flags(TokenFlags.TokenInitialized).Key(TestKeys.Rsa2048).Build();

        Assert.Equal("not-initialized", Engine.Report(token).PinStatus);
    }

    [Fact]
    public void BuildToken_NotLoggedInLoginRequiredNothingVisible_NoVisibleKeyWithHiddenWarning()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Login(LoginOutcome.NotAttempted).Build();

        var entry = Engine.Report(token);

        Assert.True(entry.PrivateObjectsHidden);
        Assert.Equal("not-attempted", entry.Login);
        var problem = Assert.Single(entry.Problems);
        Assert.Equal(("private-objects-hidden", "warning"), (problem.Code, problem.Severity));
        Assert.Equal(("no-visible-key", false), (entry.Verdict, entry.Confirmed));
        Assert.Contains(entry.Remediation, r => r.Code == "private-objects-hidden");
    }

    [Fact]
    public void BuildToken_NotLoggedInButPublicKeysVisible_PrivateObjectsHiddenWarning()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Login(LoginOutcome.NotAttempted).Key(TestKeys.Rsa2048).Build();

        var entry = Engine.Report(token);

        Assert.True(entry.PrivateObjectsHidden);
        Assert.Contains(entry.Problems, p => (p.Code, p.Severity) == ("private-objects-hidden", "warning"));
        Assert.Equal("compatible", entry.Verdict);
    }

    [Fact]
    public void BuildToken_NoLoginRequiredAndNoKeys_NoPrivateKeysError()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa).Flags(TokenFlags.TokenInitialized | TokenFlags.UserPinInitialized).Login(LoginOutcome.NotAttempted).Build();

        var entry = Engine.Report(token);

        Assert.False(entry.PrivateObjectsHidden);
        Assert.Equal(["no-private-keys"], entry.Problems.Select(p => p.Code));
        Assert.Equal("incompatible", entry.Verdict);
    }

    [Fact]
    public void BuildToken_TwoKeys_TokenVerdictIsTheBestKeyAndRemediationCoversTheWeakerOne()
    {
        var token = TokenBuilder.With(MechanismSets.Pkcs1Only)
            .Key(TestKeys.Rsa2048)
            .Key(TestKeys.P256, k => k with { Id = 2, Label = "EC" })
            .Build();
        token = token with { Mechanisms = [.. token.Mechanisms, .. MechanismSets.Ec] };

        var entry = Engine.Report(token);

        // The PKCS#1-only RSA key alone leaves OpenSSL+libp11 with neither version; the P-256 key serves every client.
        Assert.Equal(["client-dependent", "compatible"], entry.Keys.Select(k => k.Verdict));
        Assert.Equal("compatible", entry.Verdict);
        Assert.Contains(entry.Remediation, r => r.Code == "no-pss-route");
    }

    [Fact]
    public void Build_TwoTokens_ReportVerdictIsTheWorstToken()
    {
        var module = new ModuleSnapshot
        {
            ModulePath = "/usr/lib/softhsm/libsofthsm2.so",
            Tokens = [Cards.Get(Cards.FullRsa), Cards.Get(Cards.Pkcs1Only) with { SlotId = 1 }],
        };

        var report = ReportBuilder.Build(module, ServerModel.StockOpenSsl3, TestClock.Provider());

        Assert.Equal(["compatible", "client-dependent"], report.Tokens.Select(t => t.Verdict));
        Assert.Equal("client-dependent", report.Verdict);
        Assert.Equal(TestClock.Now, report.GeneratedAt);
        Assert.Equal(TokenReport.CurrentSchemaVersion, report.SchemaVersion);
        Assert.Equal("stock-openssl3", report.Server.Source);
    }

    [Fact]
    public void Build_NoTokens_Incompatible()
    {
        var report = ReportBuilder.Build(new ModuleSnapshot { ModulePath = "/x.so" }, ServerModel.StockOpenSsl3, TestClock.Provider());

        Assert.Empty(report.Tokens);
        Assert.Equal("incompatible", report.Verdict);
    }

    [Fact]
    public void BuildToken_Mechanisms_ListedAndUnlistedWithFlagNames()
    {
        var entry = Engine.Report(Cards.Get(Cards.UnlistedPss));

        var listed = entry.Mechanisms.Single(m => m.Name == "CKM_RSA_PKCS");
        Assert.True(listed.Listed);
        Assert.Equal("0x00000001", listed.Code);
        Assert.Equal(["CKF_HW", "CKF_SIGN", "CKF_VERIFY"], listed.Flags);
        Assert.Equal((1024UL, 4096UL), (listed.MinKeySize, listed.MaxKeySize));
        var unlisted = entry.Mechanisms.Single(m => m.Name == "CKM_RSA_PKCS_PSS");
        Assert.False(unlisted.Listed);
    }
}
