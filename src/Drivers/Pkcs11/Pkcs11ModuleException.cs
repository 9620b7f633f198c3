namespace TokenService.Drivers.Pkcs11;

/// <summary>What kind of infrastructure failure a <see cref="Pkcs11ModuleException"/> reports.</summary>
internal enum Pkcs11Failure
{
    /// <summary>The module file does not exist.</summary>
    ModuleNotFound,
    /// <summary>dlopen or dlsym failed: wrong architecture, missing dependency, not a PKCS#11 module.</summary>
    ModuleLoadFailed,
    /// <summary>C_GetFunctionList or C_Initialize returned an error (PKCS#11 v2.40 §5.4).</summary>
    InitializeFailed,
    /// <summary>The token, its slot or our session went away while we read it (card or reader removed).</summary>
    TokenRemoved,
    /// <summary>Any other call returned an error we do not tolerate.</summary>
    CallFailed,
}

/// <summary>
/// A PKCS#11 module could not be used: it is missing, does not load or initialize, or a token vanished while
/// it was read. The message is one line for users: module path, function and CKR_ name, never a PIN.
/// </summary>
internal sealed class Pkcs11ModuleException : Exception
{
    public Pkcs11ModuleException(
        Pkcs11Failure failure, string modulePath, string function, ulong? returnValue, string detail, Exception? inner = null)
        : base($"PKCS#11 module {modulePath}: {function} failed: {detail}", inner)
    {
        Failure = failure;
        ModulePath = modulePath;
        Function = function;
        ReturnValue = returnValue;
    }

    public Pkcs11Failure Failure { get; }

    public string ModulePath { get; }

    /// <summary>The PKCS#11 function (C_Initialize, C_GetTokenInfo...) or loader step (dlopen) that failed.</summary>
    public string Function { get; }

    /// <summary>The CK_RV the function returned, when it got that far.</summary>
    public ulong? ReturnValue { get; }
}
