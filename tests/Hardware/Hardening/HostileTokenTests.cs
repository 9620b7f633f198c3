using System.Text.Json;
using System.Text.RegularExpressions;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Text;
using TokenService.Watch;
using Xunit;
using TokenService.Worker;

namespace TokenService.Tests.Hardware.Hardening;

/// <summary>
/// Issue 9 §1 against a real token: labels with control sequences reach the screen escaped, from the check table,
/// handshake's error lines and the watch screen, while JSON keeps them exact.
/// </summary>
public sealed partial class HostileTokenTests(HostileTokenFixture token) : IClassFixture<HostileTokenFixture>
{
    [Fact]
    public async Task Check_TableOfHostileLabels_NoRawControlCharacters()
    {
        var result = await ChildProcess.TokenServiceAsync(["check", "--module", Repo.SoftHsmModule, "--pin-file", token.PinFile], token.Environment);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        AssertNoRawControls(result.Stdout);
        AssertNoRawControls(result.Stderr);
        Assert.Contains("Token \"EVIL\\x1b[31mRED\\x1b]0;TITLE\\x07", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Key \"k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_JsonOfHostileLabels_KeepsThemExact()
    {
        var result = await ChildProcess.TokenServiceAsync(
            ["check", "--module", Repo.SoftHsmModule, "--token", HostileTokenFixture.TokenLabel, "--pin-file", token.PinFile, "--format", "json"], token.Environment);

        var report = JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!;
        var entry = Assert.Single(report.Tokens);
        Assert.Equal(HostileTokenFixture.TokenLabel, entry.Label);
        Assert.Equal(HostileTokenFixture.KeyLabel, Assert.Single(entry.Keys).Label);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task Handshake_ErrorLineNamingHostileLabels_OneEscapedLine()
    {
        var result = await ChildProcess.TokenServiceAsync(
            ["handshake", "--server", "127.0.0.1:9", "--module", Repo.SoftHsmModule, "--token", HostileTokenFixture.TokenLabel, "--key-label", "absent", "--pin-file", token.PinFile], token.Environment);

        Assert.Equal(69, result.ExitCode);
        AssertNoRawControls(result.Stderr);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tokenservice: no such private key on token 'EVIL\\x1b[31mRED\\x1b]0;TITLE\\x07'; it holds 'k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchScreen_RealReportOfHostileLabelsAndHostileReaderName_OnlyThePalettesCodes()
    {
        var json = await ChildProcess.TokenServiceAsync(["check", "--module", Repo.SoftHsmModule, "--pin-file", token.PinFile, "--format", "json"], token.Environment);
        var report = JsonSerializer.Deserialize(json.Stdout, ContractsJsonContext.Default.TokenReport)!;
        var reader = new ReaderStateEntry { Name = "Reader \u001b]0;pwned\u0007\u009b2J", CardPresent = true, Atr = "3B00", State = "verdict", Report = report };
        var renderer = new WatchRenderer(color: true, TimeZoneInfo.Utc);

        var screen = renderer.Screen([reader], [], serviceLost: null, DateTimeOffset.UnixEpoch);
        var line = renderer.Event(new WatchEvent { Type = WatchEventType.Verdict, ReaderName = reader.Name, State = reader, Check = new CheckHistoryEntry { Reader = reader.Name, State = "verdict", Verdict = report.Verdict, TokenLabel = HostileTokenFixture.TokenLabel } });

        foreach (var text in new[] { screen, line })
        {
            AssertNoRawControls(Sgr().Replace(text, ""));
            Assert.Contains("Reader \\x1b]0;pwned\\x07\\x9b2J", text, StringComparison.Ordinal);
            Assert.Contains("k\\x1b[8mHIDDEN\\x1b[0m\\x0dCOMPATIBLE", text, StringComparison.Ordinal);
        }
    }

    private static void AssertNoRawControls(string text)
    {
        var raw = text.Where(c => c != '\n' && TerminalEscaper.IsUnsafe(c)).Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.True(raw.Count == 0, "raw control characters: " + string.Join(", ", raw) + "\n" + text);
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Sgr();
}
