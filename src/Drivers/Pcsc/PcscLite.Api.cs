using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace TokenService.Drivers.Pcsc;

internal static partial class PcscLite
{
    /// <summary>The <see cref="IPcscApi"/> over libpcsclite.so.1: return codes checked, C layout kept here.</summary>
    internal sealed unsafe class Api : IPcscApi
    {
        public static readonly Api Instance = new();

        private Api()
        {
        }

        public PcscContextHandle EstablishContext()
        {
            var rv = Code(SCardEstablishContext(Dword(ScopeSystem), 0, 0, out var context));
            PcscException.ThrowIfFailed(rv, nameof(SCardEstablishContext));
            return new PcscContextHandle(this, context.Value);
        }

        public uint ReleaseContext(nint context) => Code(SCardReleaseContext(new CLong(context)));

        public ImmutableArray<string> ListReaders(PcscContextHandle context)
        {
            while (true)
            {
                CULong length = default;
                var rv = Code(SCardListReaders(context, null, null, ref length));
                if (rv == PcscErrors.NoReadersAvailable)
                {
                    return [];
                }

                PcscException.ThrowIfFailed(rv, nameof(SCardListReaders));
                var buffer = new byte[checked((int)length.Value)];
                fixed (byte* readers = buffer)
                {
                    rv = Code(SCardListReaders(context, null, readers, ref length));
                }

                switch (rv)
                {
                    case PcscErrors.Success:
                        return MultiString.Parse(buffer.AsSpan(0, checked((int)length.Value)));
                    case PcscErrors.NoReadersAvailable:
                        return [];
                    case PcscErrors.InsufficientBuffer:
                        continue; // a reader arrived between the size query and the read
                    default:
                        throw new PcscException(nameof(SCardListReaders), rv);
                }
            }
        }

        public StatusChange GetStatusChange(PcscContextHandle context, TimeSpan timeout, Span<PcscReaderState> readers)
        {
            Span<ReaderState> native = readers.Length <= 8 ? stackalloc ReaderState[readers.Length] : new ReaderState[readers.Length];
            native.Clear();
            try
            {
                for (var i = 0; i < readers.Length; i++)
                {
                    native[i].Reader = Marshal.StringToCoTaskMemUTF8(readers[i].Reader);
                    native[i].CurrentState = Dword((uint)readers[i].CurrentState);
                }

                uint rv;
                fixed (ReaderState* states = native)
                {
                    rv = Code(SCardGetStatusChange(context, Dword(Milliseconds(timeout)), states, Dword((uint)readers.Length)));
                }

                var outcome = rv switch
                {
                    PcscErrors.Success => StatusChange.Changed,
                    PcscErrors.Timeout => StatusChange.TimedOut,
                    PcscErrors.Cancelled => StatusChange.Cancelled,
                    _ => throw new PcscException(nameof(SCardGetStatusChange), rv),
                };

                for (var i = 0; i < readers.Length; i++)
                {
                    ref var state = ref native[i];
                    readers[i].EventState = (ReaderStates)(uint)state.EventState.Value;
                    var atrLength = (int)Math.Min((uint)state.AtrLength.Value, MaxAtrSize);
                    fixed (byte* atr = state.Atr)
                    {
                        readers[i].Atr = [.. new ReadOnlySpan<byte>(atr, atrLength)];
                    }
                }

                return outcome;
            }
            finally
            {
                foreach (ref var state in native)
                {
                    Marshal.FreeCoTaskMem(state.Reader);
                }
            }
        }

        public void Cancel(PcscContextHandle context) =>
            PcscException.ThrowIfFailed(Code(SCardCancel(context)), nameof(SCardCancel));

        public PcscCardHandle Connect(PcscContextHandle context, string reader, PcscShareMode shareMode, PcscProtocols preferredProtocols)
        {
            var rv = Code(SCardConnect(context, reader, Dword((uint)shareMode), Dword((uint)preferredProtocols), out var card, out var protocol));
            PcscException.ThrowIfFailed(rv, nameof(SCardConnect));
            return new PcscCardHandle(this, context, card.Value, (PcscProtocols)(uint)protocol.Value);
        }

        public PcscCardStatus Status(PcscCardHandle card)
        {
            var names = new byte[256];
            Span<byte> atr = stackalloc byte[MaxAtrSize];
            while (true)
            {
                var namesLength = new CULong((uint)names.Length);
                var atrLength = new CULong(MaxAtrSize);
                uint rv;
                CULong state;
                CULong protocol;
                fixed (byte* namesPointer = names)
                fixed (byte* atrPointer = atr)
                {
                    rv = Code(SCardStatus(card, namesPointer, ref namesLength, out state, out protocol, atrPointer, ref atrLength));
                }

                if (rv == PcscErrors.InsufficientBuffer && namesLength.Value > (uint)names.Length)
                {
                    names = new byte[checked((int)namesLength.Value)];
                    continue;
                }

                PcscException.ThrowIfFailed(rv, nameof(SCardStatus));
                return new PcscCardStatus(
                    MultiString.Parse(names.AsSpan(0, (int)Math.Min((uint)namesLength.Value, (uint)names.Length))),
                    (uint)state.Value,
                    (PcscProtocols)(uint)protocol.Value,
                    [.. atr[..(int)Math.Min((uint)atrLength.Value, MaxAtrSize)]]);
            }
        }

        public uint Disconnect(nint card, PcscDisposition disposition) =>
            Code(SCardDisconnect(new CLong(card), Dword((uint)disposition)));

        /// <summary>A timeout as SCardGetStatusChange's DWORD milliseconds; infinite is INFINITE.</summary>
        private static uint Milliseconds(TimeSpan timeout) =>
            timeout == Timeout.InfiniteTimeSpan
                ? Infinite
                : (uint)Math.Clamp(timeout.TotalMilliseconds, 0, Infinite - 1);
    }
}
