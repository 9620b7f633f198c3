using System.Text.Json;
using TokenService.Contracts;
using Xunit;

namespace TokenService.Tests.Unit.Handshake;

/// <summary>The handshake JSON (contract v1) must not change by accident.</summary>
public sealed class HandshakeReportContractTests
{
    private static readonly HandshakeReport Sample = new()
    {
        Tls = "1.2",
        Ok = false,
        Scheme = "rsa_pss_rsae_sha256",
        Error = "server alert certificate_expired: the client certificate has expired (or is not yet valid)",
        Cause = "server-rejected-certificate",
        Predicted = new HandshakePrediction
        {
            Outcome = "fail",
            Scheme = "rsa_pss_rsae_sha256",
            Error = "server rejected the client certificate: certificate has expired",
            Cause = "server-rejected-certificate",
            Stack = "openssl-libp11",
            ServerModel = "stock-openssl3",
        },
        Agrees = true,
        Stack = "dotnet-sslstream",
        Evidence = "server-alert",
        Server = "127.0.0.1:4433",
        ServerCertificateVerified = true,
        Token = "cert-expired",
        Key = new HandshakeKeyEntry { Label = "auth", Id = "01", CertificateSource = "token" },
    };

    private static string Baseline => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", "handshake-report.json"));

    [Fact]
    public void Serialize_SampleReport_MatchesCommittedBaseline()
    {
        var json = JsonSerializer.Serialize(Sample, ContractsJsonContext.Default.HandshakeReport);

        Assert.Equal(Normalize(Baseline), Normalize(json));
    }

    [Fact]
    public void Deserialize_Baseline_RoundTripsToTheSameReport()
    {
        var report = JsonSerializer.Deserialize(Baseline, ContractsJsonContext.Default.HandshakeReport);

        Assert.Equal(Sample, report! with { Predicted = report.Predicted, Key = report.Key });
        Assert.Equal(Sample.Predicted, report.Predicted);
        Assert.Equal(Sample.Key, report.Key);
    }

    private static string Normalize(string json) => json.ReplaceLineEndings("\n").Trim();
}
