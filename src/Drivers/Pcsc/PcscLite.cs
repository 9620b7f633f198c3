using System.Runtime.InteropServices;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// pcsc-lite's libpcsclite.so.1 (winscard.h, pcsclite.h of pcsc-lite 1.9). On Linux, pcsc-lite's DWORD is
/// <c>unsigned long</c> and LONG is <c>long</c> (wintypes.h), 8 bytes on 64-bit: hence
/// <see cref="CULong"/> / <see cref="CLong"/>. SCARDCONTEXT and SCARDHANDLE are LONG, which on every Linux
/// ABI (LP64, ILP32) has the width of a pointer, so a <see cref="SafeHandle"/>'s <see cref="nint"/> is passed
/// where the C function takes one. The entry points are private: <see cref="Api"/> wraps each one and
/// checks its return code.
/// </summary>
internal static partial class PcscLite
{
    private const string Library = "libpcsclite.so.1";

    /// <summary>MAX_ATR_SIZE in pcsclite.h (Windows: 36).</summary>
    internal const int MaxAtrSize = 33;

    private const uint ScopeSystem = 2;
    private const uint Infinite = 0xFFFFFFFF;

    /// <summary>
    /// SCARD_READERSTATE as pcsclite.h declares it for Linux: natural alignment (only macOS packs it),
    /// 80 bytes on x86-64 (szReader 0, pvUserData 8, dwCurrentState 16, dwEventState 24, cbAtr 32,
    /// rgbAtr 40..72, 7 bytes of tail padding), checked against sizeof/offsetof with the real header.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ReaderState
    {
        public nint Reader;
        public nint UserData;
        public CULong CurrentState;
        public CULong EventState;
        public CULong AtrLength;
        public fixed byte Atr[MaxAtrSize];
    }

    [LibraryImport(Library)]
    private static partial CLong SCardEstablishContext(CULong scope, nint reserved1, nint reserved2, out CLong context);

    [LibraryImport(Library)]
    private static partial CLong SCardReleaseContext(CLong context);

    [LibraryImport(Library)]
    private static unsafe partial CLong SCardListReaders(PcscContextHandle context, byte* groups, byte* readers, ref CULong readersLength);

    [LibraryImport(Library)]
    private static unsafe partial CLong SCardGetStatusChange(PcscContextHandle context, CULong timeout, ReaderState* readerStates, CULong readerCount);

    [LibraryImport(Library)]
    private static partial CLong SCardCancel(PcscContextHandle context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial CLong SCardConnect(
        PcscContextHandle context,
        string reader,
        CULong shareMode,
        CULong preferredProtocols,
        out CLong card,
        out CULong activeProtocol);

    [LibraryImport(Library)]
    private static unsafe partial CLong SCardStatus(
        PcscCardHandle card,
        byte* readerNames,
        ref CULong readerNamesLength,
        out CULong state,
        out CULong protocol,
        byte* atr,
        ref CULong atrLength);

    [LibraryImport(Library)]
    private static partial CLong SCardDisconnect(CLong card, CULong disposition);

    /// <summary>A LONG return value as the 32-bit SCARD_ code of <see cref="PcscErrors"/>.</summary>
    private static uint Code(CLong returned) => unchecked((uint)(long)returned.Value);

    private static CULong Dword(uint value) => new(value);
}
