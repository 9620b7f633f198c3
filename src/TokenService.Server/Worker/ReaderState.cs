using TokenService.Contracts;

namespace TokenService.Worker;

/// <summary>Where a reader stands; the contract spells it with <see cref="ReaderStateNames"/> (see <see cref="WatchContractNames.Name(ReaderState)"/>).</summary>
internal enum ReaderState
{
    /// <summary>No card in the reader.</summary>
    Empty,
    /// <summary>A card is in and its token is being read.</summary>
    Probing,
    /// <summary>The token was read: the reader holds its report.</summary>
    Verdict,
    /// <summary>The card left while it was being read: no verdict.</summary>
    RemovedDuringProbe,
    /// <summary>The module failed, hung, or has no token matching the binding.</summary>
    ModuleFailed,
    /// <summary>No binding maps the reader (and ATR) to a module and token.</summary>
    NoBinding,
}
