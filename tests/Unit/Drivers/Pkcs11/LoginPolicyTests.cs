using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using Xunit;

namespace TokenService.Tests.Unit.Drivers.Pkcs11;

public sealed class LoginPolicyTests
{
    private const ulong Usable = TokenFlags.TokenInitialized | TokenFlags.LoginRequired | TokenFlags.UserPinInitialized;

    [Theory]
    [InlineData(Usable)]
    [InlineData(Usable | TokenFlags.UserPinCountLow)]
    [InlineData(Usable | TokenFlags.SoPinLocked | TokenFlags.SoPinFinalTry)]
    public void RefusalReason_UsableUserPin_AllowsOneLogin(ulong flags) =>
        Assert.Null(LoginPolicy.RefusalReason(flags));

    [Theory]
    [InlineData(Usable | TokenFlags.UserPinLocked, "CKF_USER_PIN_LOCKED")]
    [InlineData(Usable | TokenFlags.UserPinFinalTry, "CKF_USER_PIN_FINAL_TRY")]
    [InlineData(Usable | TokenFlags.UserPinCountLow | TokenFlags.UserPinFinalTry, "CKF_USER_PIN_FINAL_TRY")]
    [InlineData(Usable | TokenFlags.UserPinToBeChanged, "CKF_USER_PIN_TO_BE_CHANGED")]
    [InlineData(Usable | TokenFlags.ProtectedAuthenticationPath, "CKF_PROTECTED_AUTHENTICATION_PATH")]
    [InlineData(TokenFlags.LoginRequired | TokenFlags.UserPinInitialized, "CKF_TOKEN_INITIALIZED")]
    public void RefusalReason_RiskyOrImpossibleLogin_RefusesNamingTheFlag(ulong flags, string flagName)
    {
        var reason = LoginPolicy.RefusalReason(flags);

        Assert.NotNull(reason);
        Assert.Contains(flagName, reason, StringComparison.Ordinal);
    }
}
