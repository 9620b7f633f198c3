using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Whether the inventory may spend one of the token's PIN tries. Pure: decided from CK_TOKEN_INFO.flags
/// (PKCS#11 v2.40 §3.2) before C_Login is called, so a token is never locked by an inventory.
/// </summary>
internal static class LoginPolicy
{
    /// <summary>The reason not to log in, or null when one CKU_USER login may be tried.</summary>
    public static string? RefusalReason(ulong tokenFlags)
    {
        if ((tokenFlags & TokenFlags.TokenInitialized) == 0)
        {
            return "the token is not initialized (CKF_TOKEN_INITIALIZED is clear); not logging in";
        }

        if ((tokenFlags & TokenFlags.UserPinLocked) != 0)
        {
            return "the user PIN is locked (CKF_USER_PIN_LOCKED); not logging in";
        }

        if ((tokenFlags & TokenFlags.UserPinFinalTry) != 0)
        {
            return "one wrong PIN would lock the token (CKF_USER_PIN_FINAL_TRY); not logging in";
        }

        if ((tokenFlags & TokenFlags.UserPinToBeChanged) != 0)
        {
            return "the user PIN must be changed first (CKF_USER_PIN_TO_BE_CHANGED); not logging in";
        }

        // With a protected authentication path the PIN is entered on the reader's PIN pad and C_Login takes
        // no PIN (v2.40 §5.6 C_Login); a PIN from us would be ignored or refused, and an unattended
        // inventory cannot wait for someone at the pad.
        if ((tokenFlags & TokenFlags.ProtectedAuthenticationPath) != 0)
        {
            return "the token takes its PIN on a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH); not logging in";
        }

        return null;
    }
}
