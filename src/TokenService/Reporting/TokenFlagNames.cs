using TokenService.Drivers.Snapshots;

namespace TokenService.Reporting;

/// <summary>CK_TOKEN_INFO flag names (PKCS#11 v3.0 §5.3, CK_TOKEN_INFO) and the PIN status they add up to.</summary>
internal static class TokenFlagNames
{
    private static readonly (ulong Flag, string Name)[] Names =
    [
        (TokenFlags.Rng, "CKF_RNG"),
        (TokenFlags.WriteProtected, "CKF_WRITE_PROTECTED"),
        (TokenFlags.LoginRequired, "CKF_LOGIN_REQUIRED"),
        (TokenFlags.UserPinInitialized, "CKF_USER_PIN_INITIALIZED"),
        (TokenFlags.ProtectedAuthenticationPath, "CKF_PROTECTED_AUTHENTICATION_PATH"),
        (TokenFlags.TokenInitialized, "CKF_TOKEN_INITIALIZED"),
        (TokenFlags.UserPinCountLow, "CKF_USER_PIN_COUNT_LOW"),
        (TokenFlags.UserPinFinalTry, "CKF_USER_PIN_FINAL_TRY"),
        (TokenFlags.UserPinLocked, "CKF_USER_PIN_LOCKED"),
        (TokenFlags.UserPinToBeChanged, "CKF_USER_PIN_TO_BE_CHANGED"),
        (TokenFlags.SoPinCountLow, "CKF_SO_PIN_COUNT_LOW"),
        (TokenFlags.SoPinFinalTry, "CKF_SO_PIN_FINAL_TRY"),
        (TokenFlags.SoPinLocked, "CKF_SO_PIN_LOCKED"),
        (TokenFlags.SoPinToBeChanged, "CKF_SO_PIN_TO_BE_CHANGED"),
    ];

    public static IReadOnlyList<string> Of(ulong flags) => [.. Names.Where(n => (flags & n.Flag) != 0).Select(n => n.Name)];

    public static string PinStatus(ulong flags) =>
        (flags & TokenFlags.UserPinLocked) != 0 ? "locked"
        : (flags & TokenFlags.UserPinFinalTry) != 0 ? "final-try"
        : (flags & TokenFlags.UserPinCountLow) != 0 ? "count-low"
        : (flags & TokenFlags.UserPinInitialized) == 0 ? "not-initialized"
        : "ok";
}
