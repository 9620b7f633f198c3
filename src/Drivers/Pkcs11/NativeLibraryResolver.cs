using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Pkcs11Interop 5.3.0 P/Invokes dlopen, dlsym, dlclose and dlerror from "libdl". Debian 12 ships only
/// libdl.so.2 (no unversioned libdl.so without libc6-dev), and glibc 2.34+ also exports these from libc.so.6
/// (docs/tls-client-auth.md §6). A resolver for the Pkcs11Interop assembly maps the name; it can be registered once per
/// assembly and process, so it is registered here and nowhere else.
/// </summary>
internal static class NativeLibraryResolver
{
    private static readonly Lock Gate = new();
    private static bool registered;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
            registered = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != "libdl" || !OperatingSystem.IsLinux())
        {
            return IntPtr.Zero;
        }

        return NativeLibrary.TryLoad("libdl.so.2", out var handle) || NativeLibrary.TryLoad("libc.so.6", out handle)
            ? handle
            : IntPtr.Zero;
    }
}
