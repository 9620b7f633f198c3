using System.Collections.Immutable;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// The PC/SC calls TokenService makes, free of any platform's C layout. Each platform's binding (pcsc-lite on
/// Linux: <see cref="PcscLite.Api"/>; Windows winscard.dll and macOS PCSC.framework would be siblings) turns
/// these into its own widths and structs, and turns return codes into results or a
/// <see cref="PcscException"/>. Callers get one through <see cref="PcscApi.ForCurrentPlatform"/>.
/// </summary>
internal interface IPcscApi
{
    /// <summary>SCardEstablishContext(SCARD_SCOPE_SYSTEM).</summary>
    /// <exception cref="PcscException">SCARD_E_NO_SERVICE when pcscd is not running, or another failure.</exception>
    PcscContextHandle EstablishContext();

    /// <summary>SCardListReaders for all groups; empty when SCARD_E_NO_READERS_AVAILABLE.</summary>
    /// <exception cref="PcscException">on any other failure.</exception>
    ImmutableArray<string> ListReaders(PcscContextHandle context);

    /// <summary>
    /// SCardGetStatusChange: blocks until a reader's state differs from its <see cref="PcscReaderState.CurrentState"/>,
    /// the timeout passes (<see cref="Timeout.InfiniteTimeSpan"/> for INFINITE) or another thread calls
    /// <see cref="Cancel"/>. Fills <see cref="PcscReaderState.EventState"/> and <see cref="PcscReaderState.Atr"/>,
    /// also on a timeout (the PnP probe reads them then).
    /// </summary>
    /// <exception cref="PcscException">on any code but success, SCARD_E_TIMEOUT and SCARD_E_CANCELLED.</exception>
    StatusChange GetStatusChange(PcscContextHandle context, TimeSpan timeout, Span<PcscReaderState> readers);

    /// <summary>SCardCancel: ends a blocked <see cref="GetStatusChange"/> on that context; safe from any thread.</summary>
    /// <exception cref="PcscException">when the context is no longer valid.</exception>
    void Cancel(PcscContextHandle context);

    /// <summary>SCardConnect.</summary>
    /// <exception cref="PcscException">e.g. SCARD_E_NO_SMARTCARD, SCARD_W_REMOVED_CARD, SCARD_E_UNKNOWN_READER.</exception>
    PcscCardHandle Connect(PcscContextHandle context, string reader, PcscShareMode shareMode, PcscProtocols preferredProtocols);

    /// <summary>SCardStatus: reader names, state, protocol and ATR of a connected card.</summary>
    /// <exception cref="PcscException">e.g. SCARD_W_REMOVED_CARD.</exception>
    PcscCardStatus Status(PcscCardHandle card);

    /// <summary>SCardReleaseContext on a raw value; only <see cref="PcscContextHandle"/> calls it.</summary>
    uint ReleaseContext(nint context);

    /// <summary>SCardDisconnect on a raw value; only <see cref="PcscCardHandle"/> calls it.</summary>
    uint Disconnect(nint card, PcscDisposition disposition);
}

/// <summary>How an SCardGetStatusChange call ended when it did not fail.</summary>
internal enum StatusChange
{
    /// <summary>SCARD_S_SUCCESS: at least one reader's event state differs from its current state.</summary>
    Changed,

    /// <summary>SCARD_E_TIMEOUT: nothing changed within the timeout.</summary>
    TimedOut,

    /// <summary>SCARD_E_CANCELLED: SCardCancel was called on the context.</summary>
    Cancelled,
}
