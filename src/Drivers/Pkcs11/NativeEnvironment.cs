using System.Runtime.InteropServices;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Sets environment variables where native code reads them. On Unix, .NET keeps its own copy of the
/// environment, so <see cref="Environment.SetEnvironmentVariable(string, string)"/> never reaches a module's
/// getenv(3); SoftHSM reads SOFTHSM2_CONF with getenv during C_Initialize (docs/tls-client-auth.md §6).
/// </summary>
internal static partial class NativeEnvironment
{
    private const string LibC = "libc";

    /// <summary>
    /// Sets <paramref name="name"/> in the C library's environment (setenv(3), overwriting) and in .NET's copy,
    /// so that modules loaded afterwards and child processes started afterwards both see it.
    /// Call it before the module that reads the variable is loaded: PKCS#11 modules read their configuration
    /// once, in C_Initialize.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or contains '='.</exception>
    /// <exception cref="InvalidOperationException">setenv failed (ENOMEM).</exception>
    public static void Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException("An environment variable name cannot contain '='.", nameof(name));
        }

        if (SetEnv(name, value, overwrite: 1) != 0)
        {
            throw new InvalidOperationException(
                $"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>The C library's value of <paramref name="name"/> (getenv(3)), or null.</summary>
    public static string? Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Marshal.PtrToStringUTF8(GetEnv(name));
    }

    /// <summary>
    /// Makes the C library's environment agree with .NET's copy for <paramref name="name"/>, when .NET's copy has
    /// it: a variable the process inherited is already in both (the runtime reads environ at start-up), one set
    /// with <see cref="Environment.SetEnvironmentVariable(string, string)"/> is only in .NET's. Returns true when
    /// it had to set it.
    /// </summary>
    public static bool Propagate(string name)
    {
        var managed = Environment.GetEnvironmentVariable(name);
        if (managed is null || Get(name) == managed)
        {
            return false;
        }

        Set(name, managed);
        return true;
    }

    [LibraryImport(LibC, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [LibraryImport(LibC, EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
