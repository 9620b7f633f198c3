using System.Globalization;
using Net.Pkcs11Interop.Common;

namespace TokenService.Drivers.Pkcs11;

/// <summary>The one place where CK_RV values get a meaning for the inventory (PKCS#11 v2.40 §5.1 return values).</summary>
internal static class Pkcs11Errors
{
    /// <summary>
    /// Return values that mean the token, its slot or our session is gone, whichever call returned them:
    /// a removed token gives CKR_DEVICE_REMOVED or CKR_TOKEN_NOT_PRESENT (v2.40 §5.1.3) and its sessions are
    /// closed (§5.1.2); a removed reader can take its slot ID with it. docs/tls-client-auth.md §4, "card removed".
    /// </summary>
    public static bool IsTokenGone(CKR rv) => rv is CKR.CKR_DEVICE_REMOVED
        or CKR.CKR_TOKEN_NOT_PRESENT
        or CKR.CKR_SESSION_CLOSED
        or CKR.CKR_SESSION_HANDLE_INVALID
        or CKR.CKR_SLOT_ID_INVALID;

    /// <summary>
    /// Return values after which nothing more can be read: the token is gone or broken (CKR_DEVICE_ERROR,
    /// CKR_DEVICE_MEMORY, §5.1.3), the library was finalized (CKR_CRYPTOKI_NOT_INITIALIZED) or the host is
    /// out of memory (CKR_HOST_MEMORY, §5.1.1). Any other error from one attribute or one mechanism is a quirk
    /// of that item, and the inventory goes on without it.
    /// </summary>
    public static bool IsFatal(CKR rv) => IsTokenGone(rv)
        || rv is CKR.CKR_DEVICE_ERROR or CKR.CKR_DEVICE_MEMORY or CKR.CKR_CRYPTOKI_NOT_INITIALIZED or CKR.CKR_HOST_MEMORY;

    /// <summary>The CKR_ name, or the hex value for vendor codes.</summary>
    public static string NameOf(CKR rv) =>
        Enum.IsDefined(rv) ? rv.ToString() : "CKR_0x" + ((ulong)rv).ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Our exception for a Pkcs11Interop one: C_GetFunctionList and C_Initialize failures are the module's.</summary>
    public static Pkcs11ModuleException Wrap(string modulePath, Pkcs11Exception e)
    {
        var failure = e.Method is "C_Initialize" or "C_GetFunctionList"
            ? Pkcs11Failure.InitializeFailed
            : IsTokenGone(e.RV) ? Pkcs11Failure.TokenRemoved : Pkcs11Failure.CallFailed;
        return new Pkcs11ModuleException(failure, modulePath, e.Method, (ulong)e.RV, NameOf(e.RV), e);
    }
}
