namespace TokenService.Drivers.Pcsc;

// Values are the same in pcsc-lite (pcsclite.h) and Windows (winscard.h); only their C width differs,
// which the per-platform binding handles.

/// <summary>SCARD_STATE_* bits of SCARD_READERSTATE.dwCurrentState / dwEventState.</summary>
[Flags]
internal enum ReaderStates : uint
{
    Unaware = 0x0000,
    Ignore = 0x0001,
    Changed = 0x0002,
    Unknown = 0x0004,
    Unavailable = 0x0008,
    Empty = 0x0010,
    Present = 0x0020,
    AtrMatch = 0x0040,
    Exclusive = 0x0080,
    InUse = 0x0100,
    Mute = 0x0200,
    Unpowered = 0x0400,

    /// <summary>
    /// The high word is not a flag: pcsc-lite and Windows keep an event counter there (for a reader: card
    /// insertions and removals; for the PnP pseudo-reader: reader arrivals and departures). Handing an event
    /// state back as the next current state lets SCardGetStatusChange notice changes made between two calls.
    /// </summary>
    EventCounterMask = 0xFFFF0000,
}

/// <summary>SCARD_PROTOCOL_* values for SCardConnect and SCardStatus.</summary>
[Flags]
internal enum PcscProtocols : uint
{
    Undefined = 0x0000,
    T0 = 0x0001,
    T1 = 0x0002,
    Raw = 0x0004,
    Any = T0 | T1,
}

/// <summary>SCARD_SHARE_* values for SCardConnect.</summary>
internal enum PcscShareMode : uint
{
    Exclusive = 1,
    Shared = 2,
    Direct = 3,
}

/// <summary>SCARD_*_CARD values for SCardDisconnect.</summary>
internal enum PcscDisposition : uint
{
    LeaveCard = 0,
    ResetCard = 1,
    UnpowerCard = 2,
    EjectCard = 3,
}
