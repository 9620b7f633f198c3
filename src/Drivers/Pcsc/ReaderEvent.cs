using System.Collections.Immutable;
using System.Text;

namespace TokenService.Drivers.Pcsc;

/// <summary>Something <see cref="ReaderMonitor"/> saw change in the readers pcscd serves.</summary>
internal abstract record ReaderEvent;

/// <summary>A reader appeared in SCardListReaders (or was there when the watch started).</summary>
internal sealed record ReaderAttached(string Reader) : ReaderEvent;

/// <summary>A reader left SCardListReaders. A card it held is reported removed first.</summary>
internal sealed record ReaderDetached(string Reader) : ReaderEvent;

/// <summary>A card is in <paramref name="Reader"/> (or was when the watch started or pcscd came back).</summary>
/// <param name="Reader">The reader name.</param>
/// <param name="Atr">The card's ATR as pcscd read it; empty for a mute card.</param>
internal sealed record CardInserted(string Reader, ImmutableArray<byte> Atr) : ReaderEvent
{
    /// <summary>Shows the ATR in hex (logs, test messages) rather than the array's type name.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Reader = ").Append(Reader).Append(", Atr = ").Append(Convert.ToHexString(Atr.AsSpan()));
        return true;
    }
}

/// <summary>The card left <paramref name="Reader"/>, or was replaced by one with another ATR.</summary>
internal sealed record CardRemoved(string Reader) : ReaderEvent;

/// <summary>
/// pcscd is unreachable (not running, stopped, or restarted under the context). Until
/// <see cref="ServiceRestored"/> the reader and card state is unknown; nothing is reported removed yet.
/// </summary>
/// <param name="Reason">The failing call and its SCARD_ code, e.g. "SCardEstablishContext: SCARD_E_NO_SERVICE".</param>
internal sealed record ServiceLost(string Reason) : ReaderEvent;

/// <summary>
/// pcscd answers again. The events for what changed during the gap (removals, departures, arrivals,
/// insertions) come just before this one, so a consumer's view is current when it arrives.
/// </summary>
/// <param name="Gap">From the first failed call to the first successful read after it.</param>
internal sealed record ServiceRestored(TimeSpan Gap) : ReaderEvent;
