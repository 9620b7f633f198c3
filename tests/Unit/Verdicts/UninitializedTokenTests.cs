using TokenService.Cli;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

/// <summary>
/// Issue 9 §4: a token without CKF_TOKEN_INITIALIZED (SoftHSM's free slot) has nothing to judge; it is listed apart
/// and neither lowers the module's verdict nor the exit code.
/// </summary>
public sealed class UninitializedTokenTests
{
    /// <summary>What SoftHSM 2.6.1 reports for the free slot it always offers: no CKF_TOKEN_INITIALIZED, an empty label.</summary>
    internal static readonly TokenSnapshot FreeSlot = new()
    {
        SlotId = 1,
        SlotDescription = "SoftHSM slot ID 0x1",
        Manufacturer = "SoftHSM project",
        Model = "SoftHSM v2",
        Flags = TokenFlags.Rng | TokenFlags.LoginRequired,
        Login = LoginOutcome.NotAttempted,
    };

    private static ModuleSnapshot Module(params TokenSnapshot[] tokens) => new() { ModulePath = "/usr/lib/softhsm/libsofthsm2.so", Tokens = [.. tokens] };

    [Fact]
    public void Judge_CompatibleTokenAndFreeSlot_CompatibleAndFreeSlotListedApart()
    {
        var judged = VerdictEngine.Judge(Module(Cards.Get(Cards.FullRsa), FreeSlot), ServerModel.StockOpenSsl3, Engine.Now);

        Assert.Equal(Verdict.Compatible, judged.Verdict);
        Assert.Equal("test-token", Assert.Single(judged.Tokens).Token.Label);
        Assert.Same(FreeSlot, Assert.Single(judged.Uninitialized));
    }

    [Fact]
    public void ExitCode_CompatibleTokenAndFreeSlot_Zero()
    {
        var judged = VerdictEngine.Judge(Module(FreeSlot, Cards.Get(Cards.FullRsa)), ServerModel.StockOpenSsl3, Engine.Now);

        Assert.Equal(ExitCodes.Compatible, ExitCodes.ForCheck(judged));
    }

    [Fact]
    public void IsInitialized_FlagDecides()
    {
        Assert.False(VerdictEngine.IsInitialized(FreeSlot));
        Assert.True(VerdictEngine.IsInitialized(FreeSlot with { Flags = FreeSlot.Flags | TokenFlags.TokenInitialized }));
    }

    [Fact]
    public void Report_FreeSlot_InUninitializedTokensNotInTokens()
    {
        var report = ReportBuilder.Build(Module(Cards.Get(Cards.FullRsa), FreeSlot), ServerModel.StockOpenSsl3, TestClock.Provider());

        Assert.Equal(["test-token"], report.Tokens.Select(t => t.Label));
        var free = Assert.Single(report.UninitializedTokens);
        Assert.Equal((1UL, "SoftHSM slot ID 0x1", "", "SoftHSM v2"), (free.SlotId, free.SlotDescription, free.Label, free.Model));
        Assert.Equal("compatible", report.Verdict);
    }

    [Fact]
    public void Table_FreeSlot_OneLineNamingItAndNoTokenBlock()
    {
        var report = ReportBuilder.Build(Module(Cards.Get(Cards.FullRsa), FreeSlot), ServerModel.StockOpenSsl3, TestClock.Provider());
        var output = new StringWriter();

        new TableRenderer(output, color: false).Render(report);

        var lines = output.ToString().Split('\n');
        Assert.StartsWith("COMPATIBLE", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            ["Not initialized (no CKF_TOKEN_INITIALIZED), left out of the verdict: slot 1 \"SoftHSM slot ID 0x1\""],
            lines.Where(l => l.Contains("slot 1", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("Token \"", StringComparison.Ordinal));
    }

    [Fact]
    public void Table_FreeSlotWithHostileDescription_Escaped()
    {
        var report = ReportBuilder.Build(Module(Cards.Get(Cards.FullRsa), FreeSlot with { SlotDescription = "Reader\u001b]0;x\u0007" }), ServerModel.StockOpenSsl3, TestClock.Provider());
        var output = new StringWriter();

        new TableRenderer(output, color: false).Render(report);

        Assert.Contains("slot 1 \"Reader\\x1b]0;x\\x07\"", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output.ToString());
    }
}
