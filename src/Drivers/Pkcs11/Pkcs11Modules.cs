using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// One loaded, initialized <see cref="IPkcs11Library"/> per module path for the life of the process.
/// </summary>
/// <remarks>
/// C_Initialize and C_Finalize act on the whole process (PKCS#11 v2.40 §5.4): disposing an
/// <see cref="IPkcs11Library"/> calls C_Finalize, which ends every session every other user of that module in
/// this process holds. So libraries loaded here are never disposed; the operating system reclaims them at exit.
/// A module that can hang or crash belongs in its own process, not in an unload path here.
/// </remarks>
internal static class Pkcs11Modules
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, LoadedModule> Loaded = new(StringComparer.Ordinal);
    private static readonly Pkcs11InteropFactories Factories = new();

    /// <summary>Returns the loaded module, loading and initializing it (CKF_OS_LOCKING_OK) on first use.</summary>
    /// <exception cref="Pkcs11ModuleException">The file is missing, does not load, or C_Initialize fails.</exception>
    public static LoadedModule Get(string modulePath)
    {
        var fullPath = Path.GetFullPath(modulePath);
        lock (Gate)
        {
            if (Loaded.TryGetValue(fullPath, out var module))
            {
                return module;
            }

            module = new LoadedModule(fullPath, Load(fullPath));
            Loaded.Add(fullPath, module);
            return module;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loaded module under its gate: inventories and signing runs of one
    /// module take turns, because the login state is shared by the whole application (v2.40 §5.6 C_Login).
    /// </summary>
    /// <exception cref="Pkcs11ModuleException">Loading failed, or <paramref name="work"/> let a <see cref="Pkcs11Exception"/> out.</exception>
    public static T Exclusive<T>(string modulePath, Func<LoadedModule, T> work)
    {
        var module = Get(modulePath);
        lock (module.Gate)
        {
            try
            {
                return work(module);
            }
            catch (Pkcs11Exception e)
            {
                throw Pkcs11Errors.Wrap(module.Path, e);
            }
        }
    }

    private static IPkcs11Library Load(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new Pkcs11ModuleException(
                Pkcs11Failure.ModuleNotFound, fullPath, "load", null, "no such file");
        }

        NativeLibraryResolver.EnsureRegistered();
        AotMarshallingRoots.Ensure();
        try
        {
            // AppType.MultiThreaded passes CKF_OS_LOCKING_OK to C_Initialize (v2.40 §5.4, CK_C_INITIALIZE_ARGS).
            return Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, fullPath, AppType.MultiThreaded);
        }
        catch (Pkcs11Exception e)
        {
            throw Pkcs11Errors.Wrap(fullPath, e);
        }
        catch (UnmanagedException e)
        {
            // dlopen or dlsym(C_GetFunctionList) failed; Pkcs11Interop's message carries dlerror().
            throw new Pkcs11ModuleException(Pkcs11Failure.ModuleLoadFailed, fullPath, "load", null, e.Message, e);
        }
        catch (LibraryArchitectureException e)
        {
            throw new Pkcs11ModuleException(
                Pkcs11Failure.ModuleLoadFailed, fullPath, "load", null, "the module is built for another architecture", e);
        }
    }
}

/// <summary>A module loaded by <see cref="Pkcs11Modules"/>.</summary>
internal sealed class LoadedModule(string path, IPkcs11Library library)
{
    public string Path { get; } = path;

    public IPkcs11Library Library { get; } = library;

    /// <summary>
    /// Serializes inventories and signing runs of this module: the login state is shared by all sessions an
    /// application has with a token (v2.40 §5.6 C_Login), so one run's C_Logout must not cut another one short.
    /// </summary>
    public Lock Gate { get; } = new();
}
