using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts.Findings;

namespace TokenService.Tests.Unit.Verdicts.Findings;

public sealed class KeyFindingsTests
{
    /// <summary>
    /// Every problem code but the three that depend on a probed server's requirements: those need a server model
    /// with CA names, refused versions or no CertificateRequest, and ServerRequirementFindingsTests covers them.
    /// </summary>
    public static TheoryData<string> ProblemCodeConstants =>
    [
        .. SchemeRulesTests.Constants(typeof(ProblemCodes)).Except(
        [
            ProblemCodes.IssuerNotInServerCaList, ProblemCodes.ServerVersionNotAccepted, ProblemCodes.ServerRequestsNoCertificate,
            ProblemCodes.SelfTestFailed, // needs a self-test's observed failures: SelfTestRunTests
        ]),
    ];

    [Theory]
    [MemberData(nameof(ProblemCodeConstants))]
    public void Find_ScenarioForProblemCode_ReportsItWithItsSeverity(string code)
    {
        Assert.True(FindingScenarios.ByCode.TryGetValue(code, out var scenario), $"no scenario produces {code}");

        var report = Engine.Report(scenario.Token(), Servers.Get(scenario.Server));

        // A code may stand once per TLS version (server-offers-no-usable-scheme).
        var problems = Engine.AllProblems(report).Where(p => p.Code == code).ToList();
        Assert.NotEmpty(problems);
        Assert.All(problems, p =>
        {
            Assert.Equal(scenario.Severity, p.Severity);
            Assert.False(string.IsNullOrWhiteSpace(p.Message));
        });
    }

    /// <summary>The exact key-level problem codes per family: catches problems raised where they do not apply.</summary>
    [Theory]
    [InlineData(Cards.FullRsa, "")]
    [InlineData(Cards.P256, "")]
    [InlineData(Cards.P384, "")]
    [InlineData(Cards.Pkcs1Only, "no-pss-route openssl-picks-pss-in-tls12 some-clients-fail")]
    [InlineData(Cards.RawPkcs1, "tls13-needs-software-pss some-clients-fail")]
    [InlineData(Cards.HashedPssOnly, "pss-only-hashed-on-token no-pss-route openssl-picks-pss-in-tls12 some-clients-fail")]
    [InlineData(Cards.AllowedPkcs1, "allowed-mechanisms-exclude-pss no-pss-route openssl-picks-pss-in-tls12 some-clients-fail")]
    [InlineData(Cards.PssNoPkcs1, "no-pkcs1-route some-clients-fail")]
    [InlineData(Cards.UnlistedPss, "no-pss-route openssl-picks-pss-in-tls12 unlisted-mechanism-answered some-clients-fail")]
    [InlineData(Cards.SignFalse, "key-sign-false")]
    [InlineData(Cards.Rsa1024, "rsa-key-below-server-minimum")]
    [InlineData(Cards.AlwaysAuth, "pin-per-signature")]
    [InlineData(Cards.P521, "chrome-lacks-curve-in-tls12 some-clients-fail")]
    [InlineData(Cards.Secp256k1, "curve-not-allowed")]
    [InlineData(Cards.Ed25519, "some-clients-fail")]
    [InlineData(Cards.Expired, "certificate-expired")]
    [InlineData(Cards.NoDigitalSignature, "certificate-no-digital-signature")]
    [InlineData(Cards.Mismatched, "certificate-key-mismatch")]
    [InlineData(Cards.EcNoPublicKey, "certificate-key-unverified")]
    [InlineData(Cards.RsaPssCertificate, "some-clients-fail")]
    [InlineData(Cards.HashedOnly, "pss-only-hashed-on-token no-pss-route no-usable-scheme")]
    [InlineData(Cards.EcHashedOnly, "no-usable-scheme")]
    public void Find_CardFamily_ReportsExactlyTheseProblems(string family, string codes)
    {
        var problems = Engine.KeyProblems(Cards.Get(family));

        Assert.Equal(codes.Split(' ', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Code));
    }

    [Fact]
    public void Find_ServerListingNoSchemeOfTheKey_ReportsEachVersion()
    {
        var problems = Engine.KeyProblems(Cards.Get(Cards.FullRsa), Servers.Get(Servers.EcdsaOnly))
            .Where(p => p.Code == ProblemCodes.ServerOffersNoUsableScheme)
            .Select(p => p.Message)
            .ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains("TLS 1.3", problems[0], StringComparison.Ordinal);
        Assert.Contains("TLS 1.2", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_SomeClientsFail_NamesTheFailingStacksAndVersions()
    {
        var problem = Engine.KeyProblems(Cards.Get(Cards.Pkcs1Only)).Single(p => p.Code == ProblemCodes.SomeClientsFail);

        Assert.Contains("chrome-linux (TLS 1.3)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("openssl-libp11 (TLS 1.3 and 1.2)", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gnutls (TLS 1.2)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_ExpiredCertificate_MessageGivesTheExpiryDate()
    {
        var problem = Engine.KeyProblems(Cards.Get(Cards.Expired)).Single(p => p.Code == ProblemCodes.CertificateExpired);

        Assert.Contains(CertificateSpec.Expired.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), problem.Message, StringComparison.Ordinal);
    }
}
