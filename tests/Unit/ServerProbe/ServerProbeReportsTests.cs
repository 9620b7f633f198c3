using System.Text.Json;
using TokenService.Contracts;
using TokenService.ServerProbe;
using Xunit;

namespace TokenService.Tests.Unit.ServerProbe;

public sealed class ServerProbeReportsTests
{
    private static readonly ServerRequirements Sample = new(
        "127.0.0.1:4433",
        new VersionRequirements
        {
            Accepted = true,
            RequestsCertificate = true,
            SignatureAlgorithms = ["rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256", "0xFE01"],
            SignatureAlgorithmsCert = ["rsa_pkcs1_sha256"],
            CertificateAuthorities = [@"CN=Probe Root CA,O=Probe\, Test,C=DE"],
        },
        new VersionRequirements { Error = "server refused TLS 1.2: alert protocol_version(70)" });

    [Fact]
    public void ToReport_Requirements_CopiesEveryFieldOfBothVersions()
    {
        var report = Sample.ToReport();

        Assert.Equal(ServerProbeReport.CurrentSchemaVersion, report.SchemaVersion);
        Assert.Equal("127.0.0.1:4433", report.Endpoint);
        Assert.True(report.Tls13.Accepted);
        Assert.True(report.Tls13.RequestsCertificate);
        Assert.Equal(Sample.Tls13.SignatureAlgorithms, report.Tls13.SignatureAlgorithms);
        Assert.Equal(Sample.Tls13.SignatureAlgorithmsCert, report.Tls13.SignatureAlgorithmsCert);
        Assert.Equal(Sample.Tls13.CertificateAuthorities, report.Tls13.CertificateAuthorities);
        Assert.Null(report.Tls13.Error);
        Assert.False(report.Tls12.Accepted);
        Assert.False(report.Tls12.RequestsCertificate);
        Assert.Empty(report.Tls12.SignatureAlgorithms);
        Assert.Null(report.Tls12.SignatureAlgorithmsCert);
        Assert.Empty(report.Tls12.CertificateAuthorities);
        Assert.Equal(Sample.Tls12.Error, report.Tls12.Error);
    }

    [Fact]
    public void Serialize_SampleReport_MatchesCommittedBaseline()
    {
        var json = JsonSerializer.Serialize(Sample.ToReport(), ContractsJsonContext.Default.ServerProbeReport);
        var baseline = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", "server-probe-report.json"));

        Assert.Equal(Normalize(baseline), Normalize(json));
    }

    [Fact]
    public void Deserialize_Baseline_RoundTripsToTheSameReport()
    {
        var baseline = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", "server-probe-report.json"));

        var report = JsonSerializer.Deserialize(baseline, ContractsJsonContext.Default.ServerProbeReport);

        Assert.NotNull(report);
        Assert.Equal(
            JsonSerializer.Serialize(Sample.ToReport(), ContractsJsonContext.Default.ServerProbeReport),
            JsonSerializer.Serialize(report, ContractsJsonContext.Default.ServerProbeReport));
    }

    private static string Normalize(string json) => json.ReplaceLineEndings("\n").Trim();
}
