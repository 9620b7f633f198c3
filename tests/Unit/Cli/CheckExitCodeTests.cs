using TokenService.Cli;
using TokenService.Drivers.Snapshots;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Cli;

/// <summary>
/// Issue 9 §4: `check`'s exit code tells a refused PIN apart from a verdict, and an empty `--token` is a usage error.
/// </summary>
public sealed class CheckExitCodeTests
{
    private static ModuleVerdict Judge(params TokenSnapshot[] tokens) =>
        VerdictEngine.Judge(new ModuleSnapshot { ModulePath = "/m.so", Tokens = [.. tokens] }, ServerModel.StockOpenSsl3, Engine.Now);

    private static TokenSnapshot RefusedPin(string family) =>
        Cards.Get(family) with { PrivateKeys = [], Login = LoginOutcome.Failed, LoginMessage = "C_Login returned CKR_PIN_INCORRECT" };

    public static TheoryData<string, int> Verdicts() => new()
    {
        { Cards.FullRsa, ExitCodes.Compatible },
        { Cards.Pkcs1Only, ExitCodes.ClientDependent },
        { Cards.Rsa1024, ExitCodes.Incompatible },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void ForCheck_LoggedIn_TheVerdictsCode(string family, int code) => Assert.Equal(code, ExitCodes.ForCheck(Judge(Cards.Get(family))));

    [Theory]
    [InlineData(Cards.FullRsa)]
    [InlineData(Cards.Rsa1024)]
    public void ForCheck_PinRefused_LoginFailedWhateverTheVerdict(string family) =>
        Assert.Equal(ExitCodes.LoginFailed, ExitCodes.ForCheck(Judge(RefusedPin(family))));

    [Fact]
    public void ForCheck_OneOfTwoTokensRefusedThePin_LoginFailed() =>
        Assert.Equal(ExitCodes.LoginFailed, ExitCodes.ForCheck(Judge(Cards.Get(Cards.FullRsa), RefusedPin(Cards.FullRsa) with { SlotId = 2 })));

    [Theory]
    [InlineData(LoginOutcome.NotAttempted)]
    [InlineData(LoginOutcome.RefusedByPolicy)]
    public void ForCheck_NoLoginMade_TheVerdictsCode(LoginOutcome login) =>
        Assert.NotEqual(ExitCodes.LoginFailed, ExitCodes.ForCheck(Judge(Cards.Get(Cards.FullRsa) with { PrivateKeys = [], Login = login })));

    [Fact]
    public void LoginFailed_FreeInEveryTokenServiceCommand()
    {
        int[] others =
        [
            ExitCodes.Compatible, ExitCodes.Tls12Only, ExitCodes.Incompatible, ExitCodes.HandshakeFailedAsPredicted, ExitCodes.Disagreement,
            ExitCodes.NoVisibleKey, ExitCodes.ClientDependent, ExitCodes.Usage, ExitCodes.Unavailable, ExitCodes.Internal,
            ExitCodes.Config, ExitCodes.Interrupted,
        ];

        Assert.DoesNotContain(ExitCodes.LoginFailed, others);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void TokenLabel_EmptyOrBlank_UsageError(string label)
    {
        var e = Assert.Throws<CliException>(() => TokenLabelOption.Validate(label));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal("--token: the label is empty: give a token's label, or leave --token out to check every token", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rsa2048-full")]
    [InlineData(" padded ")]
    public void TokenLabel_AbsentOrNamed_Accepted(string? label) => TokenLabelOption.Validate(label);
}
