using System.Text;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Fleet;
using TokenService.Tests.Unit.TestData;
using static TokenService.Tests.Unit.Fleet.FleetSamples;

namespace TokenService.Tests.Unit.Fleet;

/// <summary>
/// The `report --format json` contract (FleetReport v1) over a small fixed fleet, pinned by a committed baseline: a
/// change of the contract or of how the fleet is counted is a visible change of that file. The fleet: the committed
/// check-document baseline (two tokens), a PKCS#1-only card seen on two devices, an expired certificate, a card with
/// a verdict this version does not know, a truncated document and a foreign one.
/// </summary>
public sealed class FleetReportBaselineTests
{
    private const string BaselineName = "fleet-report.json";

    [Fact]
    public void Summary_FixedFleetWithMalformedAndForeignDocuments_EqualsCommittedBaseline()
    {
        var json = JsonSerializer.Serialize(Summarize(), ContractsJsonContext.Default.FleetReport);

        CommittedBaseline.AssertEqual(BaselineName, json);
    }

    [Fact]
    public void Summary_FixedFleet_SameWhateverTheOrderOfItsDocuments()
    {
        var forward = JsonSerializer.Serialize(Summarize(), ContractsJsonContext.Default.FleetReport);
        var backward = JsonSerializer.Serialize(Summarize(reverse: true), ContractsJsonContext.Default.FleetReport);

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Deserialize_Baseline_RoundTripsToTheSameJson()
    {
        var baseline = CommittedBaseline.Read(BaselineName).ReplaceLineEndings("\n");

        var fleet = JsonSerializer.Deserialize(baseline, ContractsJsonContext.Default.FleetReport);

        Assert.Equal(baseline, JsonSerializer.Serialize(fleet, ContractsJsonContext.Default.FleetReport));
    }

    private static FleetReport Summarize(bool reverse = false)
    {
        IEnumerable<(string Source, byte[] Json)> documents =
        [
            ("fleet/device-01.json", Encoding.UTF8.GetBytes(CommittedBaseline.Read("token-report.v1.json"))),
            ("fleet/device-02.json", Json(Report(Tls12Only("0002") with { Manufacturer = "Yubico", Model = "YubiKey 5" }, Monday.AddDays(1)))),
            ("fleet/device-03.json", Json(Report(Tls12Only("0002") with { Manufacturer = "Yubico", Model = "YubiKey 5" }, Monday))),
            ("fleet/device-04.json", Json(Report(Expired("0004")))),
            ("fleet/device-05.json", Json(Report(Compatible("0005") with { Verdict = "works-on-tuesdays" }) with { Verdict = "works-on-tuesdays" })),
            ("fleet/truncated.json", "{\"schemaVersion\": 1, \"tokens\": ["u8.ToArray()),
            ("fleet/inventory.json", "{\"hostname\": \"pc-17\", \"os\": \"Debian 12\"}"u8.ToArray()),
        ];
        var tally = new FleetTally();
        foreach (var (source, json) in reverse ? documents.Reverse() : documents)
        {
            CheckDocuments.Add(source, json, tally);
        }

        return tally.Summary();
    }

    private static byte[] Json(TokenReport report) => JsonSerializer.SerializeToUtf8Bytes(report, ContractsJsonContext.Default.TokenReport);
}
