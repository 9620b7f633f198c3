using System.Collections.Immutable;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// One entry of SCardGetStatusChange's reader array, without the platform's layout: the caller sets
/// <see cref="Reader"/> and <see cref="CurrentState"/>, the binding fills <see cref="EventState"/> and
/// <see cref="Atr"/>.
/// </summary>
internal struct PcscReaderState(string reader, ReaderStates currentState)
{
    /// <summary>
    /// The pseudo-reader whose event state changes when a reader arrives or leaves (pcsc-lite API,
    /// SCardGetStatusChange; the same name on Windows).
    /// </summary>
    public const string PnpNotification = @"\\?PnP?\Notification";

    public string Reader { get; } = reader;

    public ReaderStates CurrentState { get; set; } = currentState;

    public ReaderStates EventState { get; set; }

    /// <summary>The card's ATR when <see cref="EventState"/> has <see cref="ReaderStates.Present"/>, else empty.</summary>
    public ImmutableArray<byte> Atr { get; set; } = [];
}

/// <summary>What SCardStatus reports for a connected card.</summary>
/// <param name="ReaderNames">The reader's names (pcsc-lite gives one).</param>
/// <param name="State">pcsc-lite: SCARD_ABSENT..SCARD_SPECIFIC bits; Windows: one of those values.</param>
/// <param name="Protocol">The active protocol.</param>
/// <param name="Atr">The card's answer to reset.</param>
internal sealed record PcscCardStatus(
    ImmutableArray<string> ReaderNames,
    uint State,
    PcscProtocols Protocol,
    ImmutableArray<byte> Atr);
