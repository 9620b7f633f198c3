using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.Hardening;

/// <summary>
/// Issue 9 §4 through the real program on a scratch SoftHSM store: the free uninitialized slot takes no part in the
/// exit code, an empty `--token` is a usage error, and a refused PIN has its own exit code (7) after exactly one
/// C_Login, counted through pkcs11-spy, leaving the token far from locked.
/// </summary>
public sealed class ExitCodeTests(ScratchProfileFixture store) : IClassFixture<ScratchProfileFixture>
{
    private const string WrongPin = "11112222";

    [Fact]
    public async Task Check_CompatibleTokenBesideTheFreeSlot_Exit0AndOneLineForTheFreeSlot()
    {
        var result = await CheckEveryToken(["--pin-file", store.PinFile]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}\n{result.Stdout}");
        Assert.StartsWith("COMPATIBLE", result.Stdout, StringComparison.Ordinal);
        var line = Assert.Single(result.Stdout.Split('\n'), l => l.Contains("CKF_TOKEN_INITIALIZED", StringComparison.Ordinal));
        Assert.Matches(@"^Not initialized \(no CKF_TOKEN_INITIALIZED\), left out of the verdict: slot \d+ ""SoftHSM slot ID 0x[0-9a-f]+""$", line);
        Assert.DoesNotContain("Token \"\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_FreeSlotInUninitializedTokensOnly()
    {
        var result = await CheckEveryToken(["--pin-file", store.PinFile, "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        var report = JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!;
        Assert.Equal(1, report.SchemaVersion);
        Assert.Equal([ScratchProfileFixture.Profile], report.Tokens.Select(t => t.Label));
        Assert.Equal("compatible", report.Verdict);
        var free = Assert.Single(report.UninitializedTokens);
        Assert.Equal("", free.Label);
        Assert.StartsWith("SoftHSM slot ID", free.SlotDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("handshake")]
    public async Task Command_EmptyTokenLabel_Usage64OneLine(string command)
    {
        string[] args = command == "check" ? ["check"] : ["handshake", "--server", "127.0.0.1:9"];

        var result = await ChildProcess.TokenServiceAsync(
            [.. args, "--module", Repo.SoftHsmModule, "--token", "", "--pin-file", store.PinFile], store.Environment);

        Assert.Equal(64, result.ExitCode);
        Assert.Equal("tokenservice: --token: the label is empty: give a token's label, or leave --token out to check every token", result.Stderr.TrimEnd('\n'));
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Check_WrongPinOnce_Exit7AfterOneLoginAndTheTokenStillOpensWithTheRightPin()
    {
        var spyLog = Path.Combine(store.Folder, "spy-check.log");

        var result = await ChildProcess.TokenServiceAsync(
            ["check", "--module", ScratchProfileFixture.SpyModule, "--token", ScratchProfileFixture.Profile, "--pin-file", store.WrongPinFile(WrongPin), "--format", "json"],
            Spied(spyLog));

        Assert.True(result.ExitCode == 7, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(
            $"tokenservice: token '{ScratchProfileFixture.Profile}' refused the PIN (C_Login returned CKR_PIN_INCORRECT); not retried: its verdict rests on what it shows without login",
            result.Stderr.TrimEnd('\n'));
        var token = Assert.Single(JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!.Tokens);
        Assert.Equal("failed", token.Login);
        Assert.Equal(1, LoginCalls(spyLog));
        Assert.DoesNotContain(WrongPin, result.Stdout + result.Stderr, StringComparison.Ordinal);
        await AssertNotLockedAndRightPinWorks();
    }

    [Fact]
    public async Task Handshake_WrongPinOnce_Exit7AfterOneLoginWithoutConnecting()
    {
        var spyLog = Path.Combine(store.Folder, "spy-handshake.log");

        var result = await ChildProcess.TokenServiceAsync(
            ["handshake", "--server", "127.0.0.1:9", "--module", ScratchProfileFixture.SpyModule, "--token", ScratchProfileFixture.Profile, "--pin-file", store.WrongPinFile(WrongPin)],
            Spied(spyLog));

        Assert.True(result.ExitCode == 7, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(
            $"tokenservice: token '{ScratchProfileFixture.Profile}' refused the PIN (C_Login returned CKR_PIN_INCORRECT); no handshake attempted, no further try made",
            result.Stderr.TrimEnd('\n'));
        Assert.Equal(1, LoginCalls(spyLog));
        await AssertNotLockedAndRightPinWorks();
    }

    /// <summary>
    /// SoftHSM 2.6.1 marks a wrong PIN with CKF_USER_PIN_COUNT_LOW; a tool that retried would walk towards
    /// final-try and locked. Read without a PIN first (no try spent), then once with the right PIN.
    /// </summary>
    private async Task AssertNotLockedAndRightPinWorks()
    {
        var seen = await Check(["--format", "json"]);
        var status = Assert.Single(JsonSerializer.Deserialize(seen.Stdout, ContractsJsonContext.Default.TokenReport)!.Tokens).PinStatus;
        Assert.True(status is "ok" or "count-low", $"PIN status after one wrong PIN: {status}");

        var right = await Check(["--pin-file", store.PinFile, "--format", "json"]);
        Assert.True(right.ExitCode == 0, $"exit {right.ExitCode} with the right PIN: {right.Stderr}");
        Assert.Equal("logged-in", Assert.Single(JsonSerializer.Deserialize(right.Stdout, ContractsJsonContext.Default.TokenReport)!.Tokens).Login);
    }

    private Task<ChildProcess.Result> Check(string[] args) =>
        ChildProcess.TokenServiceAsync(["check", "--module", Repo.SoftHsmModule, "--token", ScratchProfileFixture.Profile, .. args], store.Environment);

    private Task<ChildProcess.Result> CheckEveryToken(string[] args) =>
        ChildProcess.TokenServiceAsync(["check", "--module", Repo.SoftHsmModule, .. args], store.Environment);

    private Dictionary<string, string> Spied(string log) => new(store.Environment)
    {
        ["PKCS11SPY"] = Repo.SoftHsmModule,
        ["PKCS11SPY_OUTPUT"] = log,
    };

    /// <summary>The C_Login calls in a pkcs11-spy log (its "12: C_Login" lines).</summary>
    private static int LoginCalls(string log) =>
        File.ReadLines(log).Select(l => l.Split(": ", 2)).Count(p => p.Length == 2 && p[0].Length > 0 && p[0].All(char.IsAsciiDigit) && p[1].StartsWith("C_Login", StringComparison.Ordinal));
}
