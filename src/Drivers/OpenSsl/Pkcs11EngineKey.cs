using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace TokenService.Drivers.OpenSsl;

/// <summary>
/// A token's private key loaded through OpenSSL's pkcs11 engine (libp11, libengine-pkcs11-openssl), as an
/// EVP_PKEY .NET can use (<see cref="RSAOpenSsl"/>, <see cref="ECDsaOpenSsl"/>, and with them SslStream): every
/// signature goes through libp11 to the PKCS#11 module, exactly as for `openssl s_client -engine pkcs11`.
/// </summary>
/// <remarks>
/// <para>
/// This is what <see cref="SafeEvpPKeyHandle.OpenPrivateKeyFromEngine"/> does (ENGINE_by_id, ENGINE_init,
/// ENGINE_load_private_key), done here so that (1) the PIN never enters the key URI: libp11 0.4.12 prints the
/// whole URI to stderr when a lookup fails ("The private key was not found at: pkcs11:...;pin-value=..."), seen
/// on this machine; (2) a failure keeps libp11's CKR_ codes, which .NET drops in favour of the last error;
/// (3) the engine gets a UI method that answers its PIN prompts from memory: libp11 asks its UI for the token
/// login, and again before every signature with a CKA_ALWAYS_AUTHENTICATE key (p11_key.c pkcs11_authenticate),
/// where the default UI would prompt on the terminal.
/// </para>
/// <para>
/// The engine loads <c>MODULE_PATH</c>, the same module the inventory read, not p11-kit-proxy (libp11's default,
/// which also loads every other registered module, opensc-pkcs11 included). libp11 keeps its own copy of the PIN
/// for further logins until the engine is destroyed at exit (it cleanses it then); ours is cleared on Dispose.
/// </para>
/// <para>
/// Once per process: libp11 loads MODULE_PATH at its first key load and keeps it. When the last functional
/// reference to the engine goes (our Dispose, after the key's), libp11's engine_finish may unload the module with
/// C_Finalize, which ends the sessions of every other user of that module in the process (the inventory's
/// Pkcs11Interop library included, see Pkcs11Modules): dispose it last.
/// </para>
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed unsafe class Pkcs11EngineKey : IDisposable
{
    public const string EngineId = "pkcs11";

    private readonly SafeEngineHandle engine;
    private readonly SafeUiMethodHandle ui;
    private readonly SafePinBuffer pin;

    private Pkcs11EngineKey(SafeEngineHandle engine, SafeUiMethodHandle ui, SafePinBuffer pin, SafeEvpPKeyHandle key)
    {
        this.engine = engine;
        this.ui = ui;
        this.pin = pin;
        PrivateKey = key;
    }

    /// <summary>The EVP_PKEY; RSAOpenSsl / ECDsaOpenSsl take their own reference to it.</summary>
    public SafeEvpPKeyHandle PrivateKey { get; }

    /// <summary>
    /// Loads the private key <paramref name="keyUri"/> (RFC 7512, without pin-value) from
    /// <paramref name="modulePath"/>. The PIN is copied into native memory for the engine's prompts; the caller
    /// clears its own copy.
    /// </summary>
    /// <exception cref="OpenSslEngineException">The engine is missing, refused its set-up, or found no key.</exception>
    public static Pkcs11EngineKey Load(string modulePath, string keyUri, ReadOnlySpan<byte> userPin)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        ArgumentException.ThrowIfNullOrEmpty(keyUri);
        if (keyUri.Contains("pin-value", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The key URI must not carry a PIN.", nameof(keyUri));
        }

        // .NET loads and initializes libcrypto first; a major version other than 3 would be another library than
        // the libcrypto.so.3 imported here.
        if (SafeEvpPKeyHandle.OpenSslVersion >> 28 != 3)
        {
            throw new OpenSslEngineException(EngineFailure.EngineMissing, "OpenSslVersion",
                $".NET uses OpenSSL 0x{SafeEvpPKeyHandle.OpenSslVersion:x}, not OpenSSL 3", []);
        }

        LibCrypto.ErrClearError();
        var engine = SafeEngineHandle.ById(EngineId);
        if (engine.IsInvalid)
        {
            engine.Dispose();
            throw new OpenSslEngineException(EngineFailure.EngineMissing, "ENGINE_by_id",
                "the OpenSSL pkcs11 engine is not installed (apt-get install libengine-pkcs11-openssl)", OpenSslErrors.Drain());
        }

        SafeUiMethodHandle? ui = null;
        SafePinBuffer? pin = null;
        try
        {
            ui = SafeUiMethodHandle.WrapPasswordCallback(&ReadPin);
            pin = SafePinBuffer.CopyOf(userPin);
            if (ui.IsInvalid)
            {
                throw Failure(EngineFailure.EngineSetupFailed, "UI_UTIL_wrap_read_pem_callback", "no UI method");
            }

            // QUIET: libp11 writes nothing to our stderr; its errors stay in the OpenSSL error queue.
            Control(engine, "QUIET", null);
            Control(engine, "MODULE_PATH", modulePath);
            ControlPointer(engine, "SET_USER_INTERFACE", ui.DangerousGetHandle());
            ControlPointer(engine, "SET_CALLBACK_DATA", pin.DangerousGetHandle());
            if (!engine.Initialize())
            {
                throw Failure(EngineFailure.EngineSetupFailed, "ENGINE_init", "the pkcs11 engine did not initialize");
            }

            var key = LibCrypto.EngineLoadPrivateKey(engine.DangerousGetHandle(), keyUri, ui.DangerousGetHandle(), pin.DangerousGetHandle());
            if (key == IntPtr.Zero)
            {
                throw Failure(EngineFailure.KeyNotLoaded, "ENGINE_load_private_key", $"no private key at {keyUri} in {modulePath}");
            }

            LibCrypto.ErrClearError();
            return new Pkcs11EngineKey(engine, ui, pin, new SafeEvpPKeyHandle(key, ownsHandle: true));
        }
        catch
        {
            Release(engine, ui, pin);
            throw;
        }
    }

    /// <summary>Frees the key, takes the UI method back from the engine, clears the PIN, releases the engine.</summary>
    public void Dispose()
    {
        PrivateKey.Dispose();
        Release(engine, ui, pin);
    }

    private static void Release(SafeEngineHandle engine, SafeUiMethodHandle? ui, SafePinBuffer? pin)
    {
        if (!engine.IsClosed && ui is not null)
        {
            // Keys made by this engine keep asking its UI: never leave it pointing at freed memory.
            LibCrypto.EngineCtrlCmd(engine.DangerousGetHandle(), "SET_USER_INTERFACE", default, IntPtr.Zero, IntPtr.Zero, 0);
            LibCrypto.EngineCtrlCmd(engine.DangerousGetHandle(), "SET_CALLBACK_DATA", default, IntPtr.Zero, IntPtr.Zero, 0);
            LibCrypto.ErrClearError();
        }

        ui?.Dispose();
        pin?.Dispose();
        engine.Dispose();
    }

    private static void Control(SafeEngineHandle engine, string command, string? argument)
    {
        if (LibCrypto.EngineCtrlCmdString(engine.DangerousGetHandle(), command, argument, 0) != 1)
        {
            throw Failure(EngineFailure.EngineSetupFailed, "ENGINE_ctrl_cmd_string", $"the pkcs11 engine refused {command}");
        }
    }

    private static void ControlPointer(SafeEngineHandle engine, string command, IntPtr pointer)
    {
        if (LibCrypto.EngineCtrlCmd(engine.DangerousGetHandle(), command, default, pointer, IntPtr.Zero, 0) != 1)
        {
            throw Failure(EngineFailure.EngineSetupFailed, "ENGINE_ctrl_cmd", $"the pkcs11 engine refused {command}");
        }
    }

    private static OpenSslEngineException Failure(EngineFailure failure, string function, string detail) =>
        new(failure, function, detail, OpenSslErrors.Drain());

    /// <summary>
    /// pem_password_cb (include/openssl/pem.h) behind UI_UTIL_wrap_read_pem_callback: answers libp11's
    /// "PKCS#11 token PIN" and "PKCS#11 key PIN" prompts from <see cref="SafePinBuffer"/>.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReadPin(byte* buffer, int size, int rwflag, void* userData)
    {
        _ = rwflag;
        return userData == null || buffer == null ? -1 : SafePinBuffer.CopyTo(userData, buffer, size);
    }
}
