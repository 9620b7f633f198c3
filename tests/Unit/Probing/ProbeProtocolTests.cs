using System.Text.Json;
using TokenService.Contracts;
using TokenService.Probing;
using Xunit;

namespace TokenService.Tests.Unit.Probing;

public sealed class ProbeProtocolTests
{
    private static readonly TokenReport Report = new()
    {
        GeneratedAt = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero),
        Module = new ModuleEntry { Path = "/usr/lib/softhsm/libsofthsm2.so", Description = "line one\nline two" },
        Server = new ServerModelEntry { Source = "stock-openssl3", Tls13Schemes = ["rsa_pss_rsae_sha256"] },
        Tokens = [new TokenEntry { SlotId = 1, Label = "t", Verdict = "compatible" }],
        Verdict = "compatible",
    };

    [Fact]
    public void Request_Serialized_IsOneLineWithTheProtocolNames()
    {
        var json = JsonSerializer.Serialize(
            new ProbeHostRequest { Id = 42, Module = "/m.so", TokenLabel = "t", SlotDescription = "R 00 00", PinFile = "/p", ServerSchemes = "ed25519", Clients = "chrome-windows,firefox" },
            ProbeProtocolJsonContext.Default.ProbeHostRequest);

        Assert.Equal("""{"id":42,"module":"/m.so","tokenLabel":"t","slotDescription":"R 00 00","pinFile":"/p","serverSchemes":"ed25519","clients":"chrome-windows,firefox"}""", json);
    }

    [Fact]
    public void Response_WithReport_IsOneLineAndReadsBackToTheSameReport()
    {
        var json = JsonSerializer.Serialize(new ProbeHostResponse { Id = 5, Status = ProbeHostStatus.Completed, Report = Report, ElapsedMilliseconds = 1.5 }, ProbeProtocolJsonContext.Default.ProbeHostResponse);

        Assert.DoesNotContain('\n', json);
        var back = JsonSerializer.Deserialize(json, ProbeProtocolJsonContext.Default.ProbeHostResponse)!;
        Assert.Equal(5, back.Id);
        Assert.Equal(1.5, back.ElapsedMilliseconds);
        Assert.Equal(
            JsonSerializer.Serialize(Report, ContractsJsonContext.Default.TokenReport),
            JsonSerializer.Serialize(back.Report!, ContractsJsonContext.Default.TokenReport));
    }

    [Fact]
    public void Response_ReportInside_UsesTheContractPropertyNames()
    {
        var json = JsonSerializer.Serialize(new ProbeHostResponse { Id = 1, Status = ProbeHostStatus.Completed, Report = Report }, ProbeProtocolJsonContext.Default.ProbeHostResponse);

        using var document = JsonDocument.Parse(json);
        var report = document.RootElement.GetProperty("report");
        Assert.Equal(TokenReport.CurrentSchemaVersion, report.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("compatible", report.GetProperty("tokens")[0].GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData((int)ProbeHostStatus.TokenNotFound, "TokenNotFound")]
    [InlineData((int)ProbeHostStatus.RemovedDuringProbe, "RemovedDuringProbe")]
    [InlineData((int)ProbeHostStatus.ModuleFailed, "ModuleFailed")]
    [InlineData((int)ProbeHostStatus.BadRequest, "ModuleFailed")]
    [InlineData((int)ProbeHostStatus.Ready, "ModuleFailed")]
    [InlineData((int)ProbeHostStatus.Accepted, "ModuleFailed")]
    public void ToOutcome_FailureStatus_MapsToProbeStatusWithoutAReport(int status, string expected)
    {
        var outcome = ProbeHostResponses.ToOutcome(new ProbeHostResponse { Id = 1, Status = (ProbeHostStatus)status, Error = "why", Report = Report }, TimeSpan.FromMilliseconds(3));

        Assert.Equal(expected, outcome.Status.ToString());
        Assert.Null(outcome.Report);
        Assert.NotNull(outcome.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(3), outcome.Duration);
    }

    [Theory]
    [InlineData((int)ProbeHostStatus.Ready, "ready")]
    [InlineData((int)ProbeHostStatus.Accepted, "accepted")]
    [InlineData((int)ProbeHostStatus.Completed, "completed")]
    [InlineData((int)ProbeHostStatus.TokenNotFound, "token-not-found")]
    [InlineData((int)ProbeHostStatus.RemovedDuringProbe, "removed-during-probe")]
    [InlineData((int)ProbeHostStatus.ModuleFailed, "module-failed")]
    [InlineData((int)ProbeHostStatus.BadRequest, "bad-request")]
    public void Response_Status_TravelsKebabCase_AndReadsBack(int status, string wire)
    {
        var json = JsonSerializer.Serialize(new ProbeHostResponse { Id = 2, Status = (ProbeHostStatus)status }, ProbeProtocolJsonContext.Default.ProbeHostResponse);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(wire, document.RootElement.GetProperty("status").GetString());
        Assert.Equal((ProbeHostStatus)status, JsonSerializer.Deserialize(json, ProbeProtocolJsonContext.Default.ProbeHostResponse)!.Status);
    }

    [Theory]
    [InlineData("\"something-new\"")]
    [InlineData("\"removed-during-prob\"")]
    [InlineData("\"token_not_found\"")]
    [InlineData("3")]
    public void Response_StatusItDoesNotKnow_IsUnreadable_NotGuessed(string status) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($$"""{"id":1,"status":{{status}}}""", ProbeProtocolJsonContext.Default.ProbeHostResponse));

    [Fact]
    public void ToOutcome_Completed_CarriesTheReportAndTheHostsTime()
    {
        var outcome = ProbeHostResponses.ToOutcome(new ProbeHostResponse { Id = 1, Status = ProbeHostStatus.Completed, Report = Report, ElapsedMilliseconds = 1.25 }, TimeSpan.FromMilliseconds(2));

        Assert.Equal(ProbeStatus.Completed, outcome.Status);
        Assert.Same(Report, outcome.Report);
        Assert.Null(outcome.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(1.25), outcome.HostDuration);
    }

    [Fact]
    public void ToOutcome_CompletedWithoutReport_IsAModuleFailure()
    {
        var outcome = ProbeHostResponses.ToOutcome(new ProbeHostResponse { Id = 1, Status = ProbeHostStatus.Completed }, TimeSpan.Zero);

        Assert.Equal(ProbeStatus.ModuleFailed, outcome.Status);
        Assert.Contains("without a report", outcome.Error, StringComparison.Ordinal);
    }
}
