using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;
using Xunit;

namespace TokenService.Tests.Unit.Verdicts.Findings;

/// <summary>The problems, remedies and verdicts that a probed server's refusals and CA list give a key.</summary>
public sealed class ServerRequirementFindingsTests
{
    [Fact]
    public void Find_IssuerNotInCaList_BlockingProblemNamingBothSidesAndIncompatibleVerdict()
    {
        var server = ServerModel.StockOpenSsl3 with { CertificateAuthorities = ["CN=Other CA,O=Elsewhere"] };

        var problem = Assert.Single(ServerScenario.Problems(server), p => p.Code == ProblemCodes.IssuerNotInServerCaList);
        var key = Assert.Single(ServerScenario.Report(server).Keys);

        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Contains(ServerScenario.DemoCa, problem.Message);
        Assert.Contains("CN=Other CA,O=Elsewhere", problem.Message);
        Assert.Equal(ContractNames.Of(Verdict.Incompatible), key.Verdict);
        Assert.Equal(["card", "server"], key.Remediation.Where(r => r.Code == ProblemCodes.IssuerNotInServerCaList).Select(r => r.Side).Order());
    }

    [Fact]
    public void Find_IssuerNamedInAnotherSpelling_NoIssuerProblemAndCompatible()
    {
        var server = ServerModel.StockOpenSsl3 with { CertificateAuthorities = ["o=TokenService Lab+CN=x", "CN=TOKENSERVICE DEMO CA, O=TokenService lab"] };

        Assert.DoesNotContain(ServerScenario.Problems(server), p => p.Code == ProblemCodes.IssuerNotInServerCaList);
        Assert.Equal(ContractNames.Of(Verdict.Compatible), ServerScenario.Report(server).Verdict);
    }

    [Fact]
    public void Find_ServerRefusesTls13_WarningWithServerRemedyAndTls12OnlyVerdict()
    {
        var server = ServerModel.StockOpenSsl3 with { AcceptsTls13 = false, Tls13Schemes = [] };

        var problems = ServerScenario.Problems(server);
        var report = ServerScenario.Report(server);

        var refused = Assert.Single(problems, p => p.Code == ProblemCodes.ServerVersionNotAccepted);
        Assert.Equal(Severity.Warning, refused.Severity);
        Assert.Contains("TLS 1.3", refused.Message);
        // An empty TLS 1.3 list is the refusal, not a list that lacks the key's schemes.
        Assert.DoesNotContain(problems, p => p.Code == ProblemCodes.ServerOffersNoUsableScheme);
        Assert.Equal(ContractNames.Of(Verdict.Tls12Only), report.Verdict);
        Assert.Contains(report.Keys.Single().Remediation, r => r.Code == ProblemCodes.ServerVersionNotAccepted && r.Side == "server");
    }

    [Fact]
    public void Find_ServerRequestsNoCertificateInEitherVersion_WarningPerVersionAndIncompatible()
    {
        var server = ServerModel.StockOpenSsl3 with
        {
            RequestsCertificateTls13 = false,
            RequestsCertificateTls12 = false,
            Tls13Schemes = [],
            Tls12Schemes = [],
        };

        var problems = ServerScenario.Problems(server).Where(p => p.Code == ProblemCodes.ServerRequestsNoCertificate).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("TLS 1.3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("TLS 1.2", StringComparison.Ordinal));
        Assert.Equal(ContractNames.Of(Verdict.Incompatible), ServerScenario.Report(server).Verdict);
    }

    [Fact]
    public void Server_ProbedModel_ContractCarriesVersionsAndCaNames()
    {
        var server = ServerModel.StockOpenSsl3 with
        {
            Source = ServerModel.ProbedSource,
            Endpoint = "127.0.0.1:4433",
            AcceptsTls13 = false,
            RequestsCertificateTls12 = true,
            CertificateAuthorities = [ServerScenario.DemoCa],
        };

        var entry = ContractMapping.Server(server);

        Assert.Equal("probed", entry.Source);
        Assert.Equal("127.0.0.1:4433", entry.Endpoint);
        Assert.False(entry.Tls13Accepted);
        Assert.True(entry.Tls12Accepted);
        Assert.True(entry.Tls12RequestsCertificate);
        Assert.Equal([ServerScenario.DemoCa], entry.CertificateAuthorities);
    }
}
