using System.Collections.Immutable;
using TokenService.Probing;

namespace TokenService.Locating;

/// <summary>Maps a reader (and the card's ATR) to the token to probe, or null when nothing is configured for it.</summary>
internal interface ITokenLocator
{
    ProbeTarget? Locate(string reader, ImmutableArray<byte> atr);
}
