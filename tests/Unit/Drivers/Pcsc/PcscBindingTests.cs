using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TokenService.Drivers.Pcsc;
using Xunit;

namespace TokenService.Tests.Unit.Drivers.Pcsc;

/// <summary>The parts of the binding that need no native library: layout, code names, multi-strings.</summary>
public sealed class PcscBindingTests
{
    [Fact]
    public void PcscLiteReaderState_HasTheLayoutOfPcscLitesHeader()
    {
        // pcsclite.h on Linux: two pointers, three unsigned longs (pointer-sized on LP64 and ILP32), then
        // rgbAtr[33], naturally aligned. On x86-64 a C program built against pcsc-lite 1.9.9 prints
        // sizeof 80 and offsets 0, 8, 16, 24, 32, 40.
        var word = nint.Size;

        Assert.Equal(((5 * word) + PcscLite.MaxAtrSize + word - 1) / word * word, Unsafe.SizeOf<PcscLite.ReaderState>());
        Assert.Equal(0 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.Reader)));
        Assert.Equal(1 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.UserData)));
        Assert.Equal(2 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.CurrentState)));
        Assert.Equal(3 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.EventState)));
        Assert.Equal(4 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.AtrLength)));
        Assert.Equal(5 * word, (int)Marshal.OffsetOf<PcscLite.ReaderState>(nameof(PcscLite.ReaderState.Atr)));
        if (word == 8)
        {
            Assert.Equal(80, Unsafe.SizeOf<PcscLite.ReaderState>());
        }
    }

    [Theory]
    [InlineData(0x8010000Au, "SCARD_E_TIMEOUT")]
    [InlineData(0x8010001Du, "SCARD_E_NO_SERVICE")]
    [InlineData(0x8010001Eu, "SCARD_E_SERVICE_STOPPED")]
    [InlineData(0x8010002Eu, "SCARD_E_NO_READERS_AVAILABLE")]
    [InlineData(0x80100002u, "SCARD_E_CANCELLED")]
    [InlineData(0x80100069u, "SCARD_W_REMOVED_CARD")]
    [InlineData(0x8010000Cu, "SCARD_E_NO_SMARTCARD")]
    [InlineData(0x80100009u, "SCARD_E_UNKNOWN_READER")]
    [InlineData(0x80100017u, "SCARD_E_READER_UNAVAILABLE")]
    [InlineData(0x8010001Fu, "SCARD_E_UNSUPPORTED_FEATURE")]
    [InlineData(0x80109999u, "0x80109999")]
    public void PcscException_NamesTheFunctionAndTheCode(uint code, string name)
    {
        var exception = new PcscException("SCardConnect", code);

        Assert.Equal(name, exception.CodeName);
        Assert.Equal("SCardConnect", exception.Function);
        Assert.StartsWith($"SCardConnect failed: {name} (0x{code:X8}): ", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x8010001Du, true)] // SCARD_E_NO_SERVICE
    [InlineData(0x8010001Eu, true)] // SCARD_E_SERVICE_STOPPED
    [InlineData(0x80100003u, true)] // SCARD_E_INVALID_HANDLE: the context predates a pcscd restart
    [InlineData(0x80100013u, true)] // SCARD_F_COMM_ERROR: what a blocked call gets when pcscd exits
    [InlineData(0x8010006Au, true)] // SCARD_W_SECURITY_VIOLATION: SCardListReaders while pcscd shuts down
    [InlineData(0x8010000Au, false)]
    [InlineData(0x80100009u, false)]
    [InlineData(0x8010000Cu, false)]
    public void IsServiceUnavailable_IsTrueForTheCodesThatKillAContext(uint code, bool expected) =>
        Assert.Equal(expected, new PcscException("SCardListReaders", code).IsServiceUnavailable);

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("\0", new string[0])]
    [InlineData("A\0\0", new[] { "A" })]
    [InlineData("Virtual PCD 00 00\0Virtual PCD 00 01\0\0", new[] { "Virtual PCD 00 00", "Virtual PCD 00 01" })]
    [InlineData("no terminator", new[] { "no terminator" })]
    [InlineData("Lecteur é\0\0", new[] { "Lecteur é" })]
    public void MultiString_Parse_SplitsAtNulAndStopsAtTheEmptyString(string value, string[] expected) =>
        Assert.Equal(expected, MultiString.Parse(Encoding.UTF8.GetBytes(value)).ToArray());
}
