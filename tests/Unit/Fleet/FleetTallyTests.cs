using System.Text;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Fleet;
using static TokenService.Tests.Unit.Fleet.FleetSamples;

namespace TokenService.Tests.Unit.Fleet;

public sealed class FleetTallyTests
{
    [Fact]
    public void Summary_PkcsOneOnlyCards_ServerAndClientFixEachMakeThemWork_AndTheyAreNotCardSideOnly()
    {
        var tally = new FleetTally();
        Add(tally, "a.json", Report(Tls12Only("0001")));
        Add(tally, "b.json", Report(Tls12Only("0002")));

        var fleet = tally.Summary();

        var server = Assert.Single(fleet.Remediations, r => r.Side == "server");
        Assert.Equal((2L, 2L), (server.CardsNamingIt, server.CardsItMakesWork));
        Assert.Equal(2, Assert.Single(fleet.Remediations, r => r.Side == "client").CardsItMakesWork);
        Assert.Equal(0, fleet.CardSideOnly.Count);
        Assert.Equal([("no-pss-route", 2L)], fleet.Causes.Select(c => (c.Name, c.Count)));
        Assert.Equal(["server", "client", "card"], fleet.Remediations.Select(r => r.Side)); // server first
    }

    [Fact]
    public void Summary_ExpiredCertificate_OnlyACardSideFixHelps_AndTheCardIsListed()
    {
        var tally = new FleetTally();
        Add(tally, "device-7.json", Report(Expired("0007")));

        var fleet = tally.Summary();

        Assert.Equal(1, fleet.CardSideOnly.Count);
        var card = Assert.Single(fleet.CardSideOnly.Cards);
        Assert.Equal(("0007", "certificate-expired", "device-7.json"), (card.SerialNumber, card.Cause, card.Source));
        Assert.Equal(1, Assert.Single(fleet.Remediations).CardsItMakesWork);
    }

    [Fact]
    public void Summary_TwoBlockingErrors_NoSingleFixMakesTheCardWork()
    {
        var token = Expired("0008") with
        {
            Problems = [Problem("pin-locked", "error")],
            Remediation = [UnlockCard],
        };
        var tally = new FleetTally();
        Add(tally, "x.json", Report(token));

        var fleet = tally.Summary();

        Assert.All(fleet.Remediations, r => Assert.Equal(0, r.CardsItMakesWork));
        Assert.Equal(2, fleet.Remediations.Count);
        Assert.Equal(1, fleet.CardSideOnly.Count);
    }

    [Fact]
    public void Summary_SameCardOnTwoDevices_CountsOnceWithTheNewestVerdict()
    {
        var tally = new FleetTally();
        Add(tally, "old.json", Report(Expired("0009"), Monday));
        Add(tally, "new.json", Report(Compatible("0009"), Monday.AddDays(1)));

        var fleet = tally.Summary();

        Assert.Equal(2, fleet.Devices.Total);
        Assert.Equal(1, fleet.Cards.Total);
        Assert.Equal(2, fleet.CardObservations);
        Assert.Equal([("compatible", 1L)], fleet.Cards.ByVerdict.Select(v => (v.Name, v.Count)));
        Assert.Empty(fleet.Causes);
    }

    [Fact]
    public void Merge_InAnyOrder_GivesTheSameSummary()
    {
        var documents = Enumerable.Range(0, 40).Select(i => ($"d{i:D2}.json", Report((i % 3) switch
        {
            0 => Compatible($"{i % 7:D4}"),
            1 => Tls12Only($"{i % 11:D4}"),
            _ => Expired($"{i % 5:D4}"),
        }, Monday.AddMinutes(i % 4)))).ToList();

        var forward = Split(documents, 3);
        var backward = Split([.. Enumerable.Reverse(documents)], 5);

        Assert.Equal(Json(forward.Summary()), Json(backward.Summary()));
    }

    [Fact]
    public void Summary_UnknownVerdictString_IsCountedAsUnknown_AndKeptByName()
    {
        var tally = new FleetTally();
        Add(tally, "future.json", Report(Compatible("0010") with { Verdict = "works-on-tuesdays" }) with { Verdict = "works-on-tuesdays" });
        Add(tally, "known.json", Report(Compatible("0011")));

        var fleet = tally.Summary();

        Assert.Equal(1, fleet.Devices.UnknownVerdicts);
        Assert.Equal(1, fleet.Cards.UnknownVerdicts);
        Assert.Contains(fleet.Cards.ByVerdict, v => v is { Name: "works-on-tuesdays", Count: 1 });
    }

    [Fact]
    public void Summary_ModelsAreCountedPerManufacturerAndModel()
    {
        var tally = new FleetTally();
        Add(tally, "1.json", Report(Compatible("0001")));
        Add(tally, "2.json", Report(Tls12Only("0002") with { Manufacturer = "Yubico", Model = "YubiKey 5" }));
        Add(tally, "3.json", Report(Compatible("0003") with { Manufacturer = "Yubico", Model = "YubiKey 5" }));

        var fleet = tally.Summary();

        Assert.Equal(
            [("Yubico", "YubiKey 5", 2L, "compatible 1, tls12-only 1"), ("SoftHSM project", "SoftHSM v2", 1L, "compatible 1")],
            fleet.Models.Select(m => (m.Manufacturer, m.Model, m.Cards, string.Join(", ", m.ByVerdict.Select(v => $"{v.Name} {v.Count}")))));
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 1, \"tokens\": [", "malformed")]
    [InlineData("not json at all", "malformed")]
    [InlineData("{\"hello\": \"world\"}", "foreign")]
    [InlineData("[1, 2, 3]", "foreign")]
    [InlineData("null", "foreign")]
    public void Add_NotACheckDocument_IsCountedAndNamed_NeverThrown(string text, string kind)
    {
        var tally = new FleetTally();

        CheckDocuments.Add("in/odd.json", Encoding.UTF8.GetBytes(text), tally);
        var fleet = tally.Summary();

        var problem = Assert.Single(fleet.Inputs.Problems);
        Assert.Equal(("in/odd.json", kind), (problem.Source, problem.Kind));
        Assert.Equal((1L, 0L), (fleet.Inputs.Documents, fleet.Inputs.Checks));
    }

    [Fact]
    public void Add_NullWhereTheContractHasAString_IsForeign_NotAFailure()
    {
        var tally = new FleetTally();
        var json = JsonSerializer.Serialize(Report(Compatible("0001")), ContractsJsonContext.Default.TokenReport)
            .Replace("\"verdict\": \"compatible\"", "\"verdict\": null", StringComparison.Ordinal);

        CheckDocuments.Add("null-verdict.json", Encoding.UTF8.GetBytes(json), tally);
        var fleet = tally.Summary();

        Assert.Equal(("null-verdict.json", "foreign"), (Assert.Single(fleet.Inputs.Problems).Source, fleet.Inputs.Problems[0].Kind));
        Assert.Equal(0, fleet.Inputs.Checks);
    }

    [Fact]
    public void Add_NewerSchemaVersion_IsForeign()
    {
        var tally = new FleetTally();
        var json = JsonSerializer.Serialize(Report(Compatible("0001")) with { SchemaVersion = 2 }, ContractsJsonContext.Default.TokenReport);

        CheckDocuments.Add("v2.json", Encoding.UTF8.GetBytes(json), tally);

        Assert.Contains("schemaVersion 2", Assert.Single(tally.Summary().Inputs.Problems).Detail);
    }

    [Fact]
    public void Add_UnknownFieldsAndABom_AreTolerated()
    {
        var json = JsonSerializer.Serialize(Report(Tls12Only("0001")), ContractsJsonContext.Default.TokenReport);
        json = "\uFEFF" + json.Replace("\"verdict\": \"tls12-only\"", "\"futureFlag\": true, \"futureList\": [1], \"verdict\": \"tls12-only\"", StringComparison.Ordinal);
        var tally = new FleetTally();

        CheckDocuments.Add("new-fields.json", Encoding.UTF8.GetBytes(json), tally);

        var fleet = tally.Summary();
        Assert.Equal(1, fleet.Inputs.Checks);
        Assert.Equal([("tls12-only", 1L)], fleet.Cards.ByVerdict.Select(v => (v.Name, v.Count)));
    }

    [Fact]
    public void Table_And_Html_NameEverySection_AndHtmlEncodesText()
    {
        var tally = new FleetTally();
        Add(tally, "<script>.json", Report(Expired("0001")));
        tally.AddProblem("bad.json", InputProblem.Malformed, "not JSON");

        var fleet = tally.Summary();
        var table = FleetRenderer.Table(fleet);
        var html = FleetRenderer.Html(fleet);

        foreach (var title in (string[])["Inputs: 2 read, 1 check documents, 1 malformed", FleetRenderer.ModelsTitle, "by cause", "Server-side fixes", "Client-side fixes", "Cards only a card-side fix", "Inputs that are not check documents"])
        {
            Assert.Contains(title, table);
            Assert.Contains(title, html);
        }

        Assert.Contains("&lt;script&gt;.json", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void Table_And_Html_ModelsSection_SaysCheckDocumentsCarryNoCardFamily()
    {
        var tally = new FleetTally();
        Add(tally, "1.json", Report(Compatible("0001")));

        var fleet = tally.Summary();

        foreach (var text in (string[])[FleetRenderer.Table(fleet), FleetRenderer.Html(fleet)])
        {
            Assert.Contains("Cards by token model (check documents carry no card family", text);
            Assert.DoesNotContain("Cards by family", text);
        }
    }

    private static FleetTally Split(List<(string Source, TokenReport Report)> documents, int parts)
    {
        var tallies = Enumerable.Range(0, parts).Select(_ => new FleetTally()).ToArray();
        for (var i = 0; i < documents.Count; i++)
        {
            Add(tallies[i % parts], documents[i].Source, documents[i].Report);
        }

        var total = new FleetTally();
        foreach (var tally in tallies)
        {
            total.Merge(tally);
        }

        return total;
    }

    private static string Json(FleetReport fleet) => JsonSerializer.Serialize(fleet, ContractsJsonContext.Default.FleetReport);
}
