using System.Runtime.InteropServices;

namespace TokenService.Drivers.OpenSsl;

/// <summary>
/// A structural reference to an OpenSSL ENGINE (ENGINE_by_id), and after <see cref="Initialize"/> a functional
/// one (ENGINE_init): released with ENGINE_finish, then ENGINE_free (crypto/engine/eng_init.c, eng_lib.c).
/// </summary>
internal sealed class SafeEngineHandle : SafeHandle
{
    private bool initialized;

    public SafeEngineHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SafeEngineHandle ById(string id)
    {
        var result = new SafeEngineHandle();
        result.SetHandle(LibCrypto.EngineById(id));
        return result;
    }

    /// <summary>ENGINE_init: the engine's init function runs and the engine may be used.</summary>
    public bool Initialize()
    {
        initialized = LibCrypto.EngineInit(handle) == 1;
        return initialized;
    }

    protected override bool ReleaseHandle()
    {
        if (initialized)
        {
            LibCrypto.EngineFinish(handle);
        }

        return LibCrypto.EngineFree(handle) == 1;
    }
}

/// <summary>A UI_METHOD made by UI_UTIL_wrap_read_pem_callback, released with UI_destroy_method.</summary>
internal sealed class SafeUiMethodHandle : SafeHandle
{
    public SafeUiMethodHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static unsafe SafeUiMethodHandle WrapPasswordCallback(delegate* unmanaged[Cdecl]<byte*, int, int, void*, int> callback)
    {
        var result = new SafeUiMethodHandle();
        result.SetHandle(LibCrypto.UiUtilWrapReadPemCallback(callback, 0));
        return result;
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.UiDestroyMethod(handle);
        return true;
    }
}

/// <summary>
/// The PIN in native memory, where the garbage collector never moves or copies it: an 8-byte length, then the
/// bytes. Released by overwriting it with zeros and freeing it.
/// </summary>
internal sealed unsafe class SafePinBuffer : SafeHandle
{
    private const int HeaderSize = 8;
    private nuint size;

    public SafePinBuffer()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SafePinBuffer CopyOf(ReadOnlySpan<byte> pin)
    {
        var result = new SafePinBuffer();
        var total = (nuint)(HeaderSize + pin.Length);
        var memory = (byte*)NativeMemory.AllocZeroed(total);
        *(long*)memory = pin.Length;
        pin.CopyTo(new Span<byte>(memory + HeaderSize, pin.Length));
        result.size = total;
        result.SetHandle((IntPtr)memory);
        return result;
    }

    /// <summary>Copies the PIN into <paramref name="destination"/>; -1 when it does not fit.</summary>
    public static int CopyTo(void* buffer, byte* destination, int capacity)
    {
        var length = *(long*)buffer;
        if (length <= 0 || length > capacity)
        {
            return -1;
        }

        new ReadOnlySpan<byte>((byte*)buffer + HeaderSize, (int)length).CopyTo(new Span<byte>(destination, capacity));
        return (int)length;
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.Clear((void*)handle, size);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
