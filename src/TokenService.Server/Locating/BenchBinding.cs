using System.Collections.Immutable;
using TokenService.Probing;

namespace TokenService.Locating;

/// <summary>
/// One entry of a bench bindings file (README "Bench bindings"): a reader (and optionally the card's ATR)
/// mapped to the module, environment and token label that serve the card in it.
/// </summary>
internal sealed record BenchBinding(
    ReaderPattern Reader,
    AtrPattern? Atr,
    string Module,
    IReadOnlyDictionary<string, string> Environment,
    string Token,
    string? PinFile)
{
    public bool Matches(string reader, ImmutableArray<byte> atr) => Reader.Matches(reader) && (Atr is null || Atr.Matches(atr));

    public ProbeTarget ToTarget() => new(Module, Environment, Token, SlotDescription: null, PinFile);
}
