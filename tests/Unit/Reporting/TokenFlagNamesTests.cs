using TokenService.Drivers.Snapshots;
using TokenService.Reporting;

namespace TokenService.Tests.Unit.Reporting;

public sealed class TokenFlagNamesTests
{
    [Theory]
    [InlineData(0UL, "")]
    [InlineData(TokenFlags.LoginRequired | TokenFlags.UserPinInitialized, "CKF_LOGIN_REQUIRED CKF_USER_PIN_INITIALIZED")]
    [InlineData(TokenFlags.ProtectedAuthenticationPath | TokenFlags.UserPinFinalTry, "CKF_PROTECTED_AUTHENTICATION_PATH CKF_USER_PIN_FINAL_TRY")]
    [InlineData(TokenFlags.SoPinLocked | TokenFlags.SoPinToBeChanged, "CKF_SO_PIN_LOCKED CKF_SO_PIN_TO_BE_CHANGED")]
    [InlineData(0x80000000UL, "")]
    public void Of_Flags_NamesInSpecOrder(ulong flags, string names) =>
        Assert.Equal(names.Split(' ', StringSplitOptions.RemoveEmptyEntries), TokenFlagNames.Of(flags));

    [Theory]
    [InlineData(TokenFlags.UserPinInitialized, "ok")]
    [InlineData(0UL, "not-initialized")]
    [InlineData(TokenFlags.UserPinCountLow, "count-low")]
    [InlineData(TokenFlags.UserPinFinalTry | TokenFlags.UserPinInitialized, "final-try")]
    [InlineData(TokenFlags.UserPinLocked | TokenFlags.UserPinFinalTry, "locked")]
    [InlineData(TokenFlags.SoPinLocked | TokenFlags.UserPinInitialized, "ok")]
    public void PinStatus_Flags_WorstUserPinState(ulong flags, string status) => Assert.Equal(status, TokenFlagNames.PinStatus(flags));

    [Theory]
    [InlineData(LoginOutcome.NotAttempted, "not-attempted")]
    [InlineData(LoginOutcome.LoggedIn, "logged-in")]
    [InlineData(LoginOutcome.RefusedByPolicy, "refused")]
    [InlineData(LoginOutcome.Failed, "failed")]
    public void Login_Outcome_ContractWord(LoginOutcome login, string word) => Assert.Equal(word, ContractMapping.Login(login));
}
