using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace TokenService.Drivers.OpenSsl;

/// <summary>Reads OpenSSL's per-thread error queue (ERR_get_error, crypto/err) as text, oldest first.</summary>
internal static unsafe class OpenSslErrors
{
    /// <summary>libp11 registers its CK_RV errors under this library name, with the CK_RV as the reason code.</summary>
    private const string Pkcs11Library = ":PKCS#11 module:";

    /// <summary>ERR_REASON_MASK of OpenSSL 3 (include/openssl/err.h.in).</summary>
    private const ulong ReasonMask = 0x7FFFFF;

    /// <summary>Empties the queue and returns its entries ("error:418000A0:PKCS#11 module:...").</summary>
    public static ImmutableArray<OpenSslError> Drain()
    {
        var errors = ImmutableArray.CreateBuilder<OpenSslError>();
        var buffer = stackalloc byte[256];
        for (var code = LibCrypto.ErrGetError(); code.Value != 0; code = LibCrypto.ErrGetError())
        {
            LibCrypto.ErrErrorStringN(code, buffer, 256);
            var text = Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "";
            ulong value = code.Value;
            errors.Add(new OpenSslError(value, text, text.Contains(Pkcs11Library, StringComparison.Ordinal) ? value & ReasonMask : null));
        }

        return errors.ToImmutable();
    }
}

/// <summary>One entry of the OpenSSL error queue.</summary>
/// <param name="Code">The packed error code.</param>
/// <param name="Text">ERR_error_string_n's text.</param>
/// <param name="Pkcs11ReturnValue">The CK_RV when the entry comes from libp11 (library "PKCS#11 module").</param>
internal sealed record OpenSslError(ulong Code, string Text, ulong? Pkcs11ReturnValue);
