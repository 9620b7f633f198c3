using System.Collections.Immutable;

namespace TokenService.Drivers.OpenSsl;

/// <summary>What kind of failure an <see cref="OpenSslEngineException"/> reports.</summary>
internal enum EngineFailure
{
    /// <summary>libcrypto.so.3 or the pkcs11 engine (libengine-pkcs11-openssl) is not installed.</summary>
    EngineMissing,
    /// <summary>The engine refused a control command or ENGINE_init.</summary>
    EngineSetupFailed,
    /// <summary>ENGINE_load_private_key returned no key: module, token, login or key lookup failed.</summary>
    KeyNotLoaded,
}

/// <summary>
/// The OpenSSL pkcs11 engine could not give us the key. The message is one line: the function and OpenSSL's own
/// error strings, never the PIN (the key URI we pass carries none).
/// </summary>
internal sealed class OpenSslEngineException : Exception
{
    public OpenSslEngineException(EngineFailure failure, string function, string detail, ImmutableArray<OpenSslError> errors)
        : base(Describe(function, detail, errors))
    {
        Failure = failure;
        Function = function;
        Errors = errors;
    }

    public EngineFailure Failure { get; }

    /// <summary>The libcrypto function that failed (ENGINE_by_id, ENGINE_load_private_key, ...).</summary>
    public string Function { get; }

    /// <summary>OpenSSL's error queue at the failure, oldest first.</summary>
    public ImmutableArray<OpenSslError> Errors { get; }

    /// <summary>The first CK_RV libp11 reported, if any.</summary>
    public ulong? Pkcs11ReturnValue => Errors.Select(e => e.Pkcs11ReturnValue).FirstOrDefault(v => v is not null);

    private static string Describe(string function, string detail, ImmutableArray<OpenSslError> errors) =>
        errors.IsDefaultOrEmpty
            ? $"{function} failed: {detail}"
            : $"{function} failed: {detail} ({string.Join("; ", errors.Select(e => e.Text))})";
}
