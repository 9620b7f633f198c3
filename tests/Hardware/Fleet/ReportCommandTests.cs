using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;
using Xunit;

namespace TokenService.Tests.Hardware.Fleet;

/// <summary>
/// `tokenservice report` on a fleet made of real `check --format json` documents of every SoftHSM profile (each
/// copied to many devices with its own serial number), plus inputs that are not check documents.
/// </summary>
[Collection(ProfilesCollection.Name)]
public sealed class ReportCommandTests(ProfilesFixture profiles) : IDisposable
{
    private const int DevicesPerProfile = 20;
    private readonly string _fleet = Directory.CreateTempSubdirectory("tokenservice-fleet-").FullName;

    public void Dispose() => Directory.Delete(_fleet, recursive: true);

    [Fact]
    public async Task Report_FleetOfRealCheckDocuments_CountsDevicesAndCardsByTheManifestsVerdicts_AndNamesTheBadInputs()
    {
        var names = ProfilesFixture.Names().ToList();
        var lines = new List<string>();
        foreach (var profile in names)
        {
            var report = await profiles.CheckAsync(profile);
            for (var device = 0; device < DevicesPerProfile; device++)
            {
                var copy = report with { Tokens = [.. report.Tokens.Select(t => t with { SerialNumber = $"{profile}-{device:D4}" })] };
                var json = JsonSerializer.Serialize(copy, ContractsJsonContext.Default.TokenReport);
                await File.WriteAllTextAsync(Path.Combine(_fleet, $"{profile}-{device:D4}.json"), json);
                lines.Add(json.ReplaceLineEndings(""));
            }
        }

        // The same card seen again on another device, older: counted once, by its newest report.
        var again = await profiles.CheckAsync(names[0]);
        await File.WriteAllTextAsync(Path.Combine(_fleet, "seen-twice.json"), JsonSerializer.Serialize(
            again with { GeneratedAt = again.GeneratedAt.AddDays(-1), Tokens = [.. again.Tokens.Select(t => t with { SerialNumber = $"{names[0]}-0000" })] },
            ContractsJsonContext.Default.TokenReport));
        Directory.CreateDirectory(Path.Combine(_fleet, "odd"));
        await File.WriteAllTextAsync(Path.Combine(_fleet, "odd", "truncated.json"), "{\"schemaVersion\": 1, \"tokens\": [");
        await File.WriteAllTextAsync(Path.Combine(_fleet, "odd", "inventory.json"), "{\"hostname\": \"pc-17\", \"os\": \"Debian 12\"}");

        var result = await ChildProcess.TokenServiceAsync(["report", _fleet, "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var fleet = JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.FleetReport)!;
        var expected = names.GroupBy(p => ProfilesFixture.Expected(p, "EXPECTED_VERDICT"))
            .ToDictionary(g => g.Key, g => (long)g.Count() * DevicesPerProfile);
        Assert.Equal(expected.OrderBy(e => e.Key), fleet.Cards.ByVerdict.ToDictionary(v => v.Name, v => v.Count).OrderBy(e => e.Key));
        Assert.Equal(names.Count * DevicesPerProfile + 1, fleet.Devices.Total);
        Assert.Equal(names.Count * DevicesPerProfile, fleet.Cards.Total);
        Assert.Equal(names.Count * DevicesPerProfile + 1, fleet.CardObservations);
        Assert.Equal((1L, 1L, 0L, 0L), (fleet.Inputs.Malformed, fleet.Inputs.Foreign, fleet.Inputs.Oversized, fleet.Inputs.Unreadable));
        Assert.Equal([Path.Combine(_fleet, "odd", "inventory.json"), Path.Combine(_fleet, "odd", "truncated.json")], fleet.Inputs.Problems.Select(p => p.Source));

        // An expired certificate is fixed on the card only; a PKCS#1-only card by a server offering the legacy scheme.
        Assert.Equal(DevicesPerProfile, fleet.CardSideOnly.Cards.Count(c => c.Cause == "certificate-expired"));
        Assert.DoesNotContain(fleet.CardSideOnly.Cards, c => c.SerialNumber.StartsWith("rsa-pkcs1-only-", StringComparison.Ordinal));
        Assert.Contains(fleet.Remediations, r => r is { Side: "server", Code: "no-pss-route" } && r.CardsItMakesWork >= DevicesPerProfile);

        // The same documents as JSON lines on standard input: the same counts.
        var piped = await ChildProcess.TokenServiceAsync(["report", "-", "--format", "json"], stdin: string.Join('\n', lines) + "\n");
        var fromStdin = JsonSerializer.Deserialize(piped.Stdout, ContractsJsonContext.Default.FleetReport)!;
        Assert.Equal(JsonSerializer.Serialize(fleet.Cards), JsonSerializer.Serialize(fromStdin.Cards));
        Assert.Equal(JsonSerializer.Serialize(fleet.Remediations.Select(r => (r.Code, r.Side))), JsonSerializer.Serialize(fromStdin.Remediations.Select(r => (r.Code, r.Side))));

        var table = await ChildProcess.TokenServiceAsync(["report", _fleet]);
        Assert.Contains("Cards only a card-side fix (re-issue) makes work", table.Stdout);
        Assert.Contains("truncated.json", table.Stdout);
        var html = await ChildProcess.TokenServiceAsync(["report", _fleet, "--format", "html"]);
        Assert.StartsWith("<!doctype html>", html.Stdout);

        var usage = await ChildProcess.TokenServiceAsync(["report", _fleet, "--format", "xml"]);
        Assert.Equal(64, usage.ExitCode);
    }
}
