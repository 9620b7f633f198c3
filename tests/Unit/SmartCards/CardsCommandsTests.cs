using System.Text.Json;
using TokenService.Cli;
using TokenService.Contracts;
using TokenService.Tests.Unit.Infrastructure;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts.Clients;

namespace TokenService.Tests.Unit.SmartCards;

public sealed class CardsCommandsTests
{
    [Theory]
    [InlineData("not-an-atr")]
    [InlineData("3B")]
    [InlineData("3BF")]
    public async Task IdentifyAsync_NotAnAtr_UsageError(string atr)
    {
        var error = await Assert.ThrowsAsync<CliException>(() =>
            CardsCommands.IdentifyAsync(new CardsCommands.IdentifyOptions(atr, OutputFormat.Table, "/nonexistent"), new StringWriter(), TestClock.Provider()));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith("ATR: ", error.Message);
    }

    [Fact]
    public async Task IdentifyAsync_YubiKeyAtrWithFixtureDatabase_JsonNamesFamiliesAndVerdicts()
    {
        using var dir = new TempDirectory();
        var database = dir.Write("smartcard_list.txt", SmartcardListTests.Fixture);
        var output = new StringWriter();

        var exit = await CardsCommands.IdentifyAsync(
            new CardsCommands.IdentifyOptions("3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40", OutputFormat.Json, database), output, TestClock.Provider());

        Assert.Equal(ExitCodes.Success, exit);
        var report = JsonSerializer.Deserialize(output.ToString(), ContractsJsonContext.Default.CardIdentityReport)!;
        Assert.Equal("3BFD1300008131FE158073C021C057597562694B657940", report.Atr);
        Assert.Contains("Yubico YubiKey 5 NFC (PKI)", report.Names);
        Assert.Null(report.Warning);
        var piv = report.Families.Single(f => f.Id == "yubikey-piv-opensc");
        Assert.Equal("compatible", piv.Keys.Single(k => k.KeyType == "RSA").Verdict);
        Assert.Equal("client-dependent", report.Families.Single(f => f.Id == "openpgp-card").Keys.Single(k => k.KeyType == "RSA").Verdict);
    }

    [Fact]
    public async Task IdentifyAsync_ClientsChromeWindows_HeadlineAnswersForThatClientOnly()
    {
        using var dir = new TempDirectory();
        var database = dir.Write("smartcard_list.txt", SmartcardListTests.Fixture);
        var targets = ClientTargets.TryParse(["chrome-windows"], out var error);
        Assert.Null(error);
        var output = new StringWriter();

        var exit = await CardsCommands.IdentifyAsync(
            new CardsCommands.IdentifyOptions("3BFD1300008131FE158073C021C057597562694B657940", OutputFormat.Json, database, targets), output, TestClock.Provider());

        Assert.Equal(ExitCodes.Success, exit);
        var report = JsonSerializer.Deserialize(output.ToString(), ContractsJsonContext.Default.CardIdentityReport)!;
        // OpenPGP card RSA signs PKCS#1 v1.5 only: Chrome on Windows completes TLS 1.2 and not 1.3, whatever the others do.
        var openPgp = report.Families.Single(f => f.Id == "openpgp-card").Keys.Single(k => k.KeyType == "RSA");
        Assert.Equal("tls12-only", openPgp.Verdict);
        Assert.Equal("compatible", report.Families.Single(f => f.Id == "yubikey-piv-opensc").Keys.Single(k => k.KeyType == "RSA").Verdict);
        // The predictions stay per client for every stack; only the headline follows the targets.
        Assert.Equal(7, openPgp.Clients.Count);
    }

    [Theory]
    [InlineData("chrome-windows,lynx", "--clients: unknown client 'lynx'")]
    [InlineData(",", "--clients: no client named")]
    public void Identify_UnknownOrEmptyClients_ParseErrorNamingTheOption(string clients, string expectedStart)
    {
        var parsed = ServerCommands.Identify().Parse(["3B00", "--clients", clients]);

        Assert.Contains(parsed.Errors, e => e.Message.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdentifyAsync_DatabaseMissing_WarnsAndStillNamesFamilies()
    {
        var output = new StringWriter();

        var exit = await CardsCommands.IdentifyAsync(
            new CardsCommands.IdentifyOptions("3BDE18FF8191FE1FC38031815448534D31738021408107 1C", OutputFormat.Table, "/nonexistent/smartcard_list.txt"), output, TestClock.Provider());

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("warning: /nonexistent/smartcard_list.txt not found", output.ToString());
        Assert.Contains("smartcard-hsm: SmartCard-HSM / Nitrokey HSM 2 through OpenSC", output.ToString());
    }

    [Fact]
    public async Task ListAsync_Json_EveryFamilyWithMechanismsKeysAndSources()
    {
        var output = new StringWriter();

        var exit = await CardsCommands.ListAsync(OutputFormat.Json, output, TestClock.Provider());

        Assert.Equal(ExitCodes.Success, exit);
        var report = JsonSerializer.Deserialize(output.ToString(), ContractsJsonContext.Default.CardCatalogReport)!;
        Assert.True(report.Families.Count >= 12);
        Assert.All(report.Families, f =>
        {
            Assert.NotEmpty(f.Mechanisms);
            Assert.NotEmpty(f.Keys);
            Assert.NotEmpty(f.Sources);
            Assert.NotEmpty(f.AtrPatterns);
        });
    }
}
