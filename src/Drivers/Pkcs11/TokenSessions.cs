using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

/// <summary>The outcome of <see cref="TokenSessions.LogIn"/>; <c>MadeByUs</c> says whether C_Logout is ours to call.</summary>
internal readonly record struct LoginResult(LoginOutcome Outcome, string? Message, bool MadeByUs);

/// <summary>
/// Token and session steps the inventory and the signer share: finding a token's info, the one CKU_USER login,
/// and leaving a session without hiding an exception already on its way out.
/// </summary>
internal static class TokenSessions
{
    /// <summary>
    /// C_GetTokenInfo, or null for a card the module does not recognize (CKR_TOKEN_NOT_RECOGNIZED),
    /// such as a foreign card in a reader OpenSC serves: nothing on it can sign through this module.
    /// </summary>
    public static ITokenInfo? TryGetTokenInfo(ISlot slot)
    {
        try
        {
            return slot.GetTokenInfo();
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_TOKEN_NOT_RECOGNIZED)
        {
            return null;
        }
    }

    /// <summary>
    /// At most one C_Login(CKU_USER) in a read-only session (v2.40 §5.6), never retried: each wrong PIN costs
    /// one of the token's tries. The caller has already asked <see cref="LoginPolicy"/>. No message carries the PIN.
    /// </summary>
    /// <exception cref="Pkcs11Exception">Only when the token vanished during the call.</exception>
    public static LoginResult LogIn(ISession session, byte[]? pin)
    {
        if (pin is null)
        {
            return new LoginResult(LoginOutcome.NotAttempted, null, MadeByUs: false);
        }

        try
        {
            session.Login(CKU.CKU_USER, pin);
            return new LoginResult(LoginOutcome.LoggedIn, null, MadeByUs: true);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // The login state belongs to the application (v2.40 §5.6): another part of this process logged in,
            // so the objects are visible, and logging out at the end is theirs to do.
            return new LoginResult(LoginOutcome.LoggedIn, "the user was already logged in (CKR_USER_ALREADY_LOGGED_IN)", MadeByUs: false);
        }
        catch (Pkcs11Exception e) when (!Pkcs11Errors.IsTokenGone(e.RV))
        {
            return new LoginResult(LoginOutcome.Failed, $"C_Login returned {Pkcs11Errors.NameOf(e.RV)}", MadeByUs: false);
        }
    }

    /// <summary>
    /// C_Logout. Its failure is not reported: closing the session that follows returns the token to public
    /// sessions anyway when it was the application's last one (v2.40 §5.6 C_CloseSession).
    /// </summary>
    public static void LogOut(ISession session)
    {
        try
        {
            session.Logout();
        }
        catch (Pkcs11Exception)
        {
            // See above.
        }
    }

    /// <summary>
    /// C_CloseSession. A failure here (the token left after everything was done) changes nothing we report;
    /// throwing from here would also hide the exception that may already be on its way out.
    /// </summary>
    public static void Close(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // Nothing to release: a session on a removed token is gone already (v2.40 §5.6).
        }
    }
}
