using System.Runtime.InteropServices;

namespace TokenService.Drivers.OpenSsl;

/// <summary>
/// The OpenSSL 3 libcrypto functions the pkcs11 engine key loader needs: ENGINE (crypto/engine, deprecated in
/// 3.0 but what libengine-pkcs11-openssl 0.4.12 implements), the UI wrapper for a password callback
/// (UI_UTIL_wrap_read_pem_callback, crypto/ui/ui_util.c) and the error queue. It is the same libcrypto.so.3 that
/// .NET's System.Security.Cryptography.Native.OpenSsl shim loads, so an EVP_PKEY made here is one .NET can use.
/// Only <see cref="Pkcs11EngineKey"/> calls these, and checks every return value.
/// </summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    [LibraryImport(Library, EntryPoint = "ENGINE_by_id", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr EngineById(string id);

    [LibraryImport(Library, EntryPoint = "ENGINE_init")]
    internal static partial int EngineInit(IntPtr engine);

    [LibraryImport(Library, EntryPoint = "ENGINE_finish")]
    internal static partial int EngineFinish(IntPtr engine);

    [LibraryImport(Library, EntryPoint = "ENGINE_free")]
    internal static partial int EngineFree(IntPtr engine);

    [LibraryImport(Library, EntryPoint = "ENGINE_ctrl_cmd_string", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EngineCtrlCmdString(IntPtr engine, string command, string? argument, int optional);

    [LibraryImport(Library, EntryPoint = "ENGINE_ctrl_cmd", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EngineCtrlCmd(IntPtr engine, string command, CLong i, IntPtr p, IntPtr f, int optional);

    [LibraryImport(Library, EntryPoint = "ENGINE_load_private_key", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr EngineLoadPrivateKey(IntPtr engine, string keyId, IntPtr uiMethod, IntPtr callbackData);

    [LibraryImport(Library, EntryPoint = "UI_UTIL_wrap_read_pem_callback")]
    internal static partial IntPtr UiUtilWrapReadPemCallback(delegate* unmanaged[Cdecl]<byte*, int, int, void*, int> callback, int rwflag);

    [LibraryImport(Library, EntryPoint = "UI_destroy_method")]
    internal static partial void UiDestroyMethod(IntPtr method);

    [LibraryImport(Library, EntryPoint = "ERR_get_error")]
    internal static partial CULong ErrGetError();

    [LibraryImport(Library, EntryPoint = "ERR_error_string_n")]
    internal static partial void ErrErrorStringN(CULong error, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "ERR_clear_error")]
    internal static partial void ErrClearError();
}
