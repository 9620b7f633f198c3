using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.LowLevelAPI80;
using Net.Pkcs11Interop.LowLevelAPI80.MechanismParams;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Makes the NativeAOT compiler generate structure marshalling data for the types Pkcs11Interop marshals
/// through <see cref="Marshal"/> with a runtime <see cref="Type"/> (UnmanagedMemory.SizeOf/Read/Write), which it
/// cannot see on its own. Without this the published host fails at run time with "missing structure
/// marshalling data" for CK_FUNCTION_LIST while loading a module, then System.UInt64 while converting attributes,
/// then each mechanism-parameter struct (seen in the NativeAOT build). Structs that only travel as parameters of the
/// function-pointer delegates need nothing: their stubs are compiled from the delegate signatures.
/// </summary>
/// <remarks>
/// Only the LowLevelAPI80 types are rooted: 8-byte CK_ULONG, natural packing, which Pkcs11Interop chooses on
/// 64-bit Linux and macOS, the platforms the host is published for. Recheck after any Pkcs11Interop upgrade:
/// publish the host with PublishAot and run an inventory against SoftHSM.
/// </remarks>
internal static class AotMarshallingRoots
{
    // Internal to Pkcs11Interop, read with Marshal.PtrToStructure(IntPtr, Type) after C_GetFunctionList
    // (PKCS#11 v2.40 §5.4). A constant assembly-qualified name lets the AOT compiler resolve the type.
    private const string FunctionListType = "Net.Pkcs11Interop.LowLevelAPI80.CK_FUNCTION_LIST, Pkcs11Interop";

    private static int rootedBytes;

    /// <summary>Runs the static uses once; call before the first module load.</summary>
    public static void Ensure()
    {
        if (Volatile.Read(ref rootedBytes) == 0)
        {
            Volatile.Write(ref rootedBytes, SizeOfAll());
        }
    }

    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode",
        Justification = "The type is a compile-time constant, so the AOT compiler generates its marshalling data.")]
    private static int SizeOfAll() =>
        Marshal.SizeOf(Type.GetType(FunctionListType, throwOnError: true)!)
        + Marshal.SizeOf<ulong>()
        + Marshal.SizeOf<CK_VERSION>()
        + Marshal.SizeOf<CK_INFO>()
        + Marshal.SizeOf<CK_SLOT_INFO>()
        + Marshal.SizeOf<CK_TOKEN_INFO>()
        + Marshal.SizeOf<CK_SESSION_INFO>()
        + Marshal.SizeOf<CK_MECHANISM_INFO>()
        + Marshal.SizeOf<CK_MECHANISM>()
        + Marshal.SizeOf<CK_ATTRIBUTE>()
        // CKM_RSA_PKCS_PSS's parameters, which Pkcs11Signer passes for the self-test's PSS routes.
        + Marshal.SizeOf<CK_RSA_PKCS_PSS_PARAMS>();
}
