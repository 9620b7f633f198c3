using TokenService.Contracts;

namespace TokenService.Worker;

/// <summary>Where a reader stands; the contract spells it with <see cref="ReaderStateNames"/> (see <see cref="ReaderStateContract.Name"/>).</summary>
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

/// <summary>The one mapping from <see cref="ReaderState"/> to the kebab-case names of the JSON contract.</summary>
internal static class ReaderStateContract
{
    /// <summary>The contract's name for <paramref name="state"/> (<c>GET /api/readers</c>, events, history).</summary>
    /// <exception cref="System.Runtime.CompilerServices.SwitchExpressionException">a value outside the enum.</exception>
    public static string Name(this ReaderState state) =>
#pragma warning disable CS8524 // every named value is listed (CS8509 would flag one missing); a cast integer throws
        state switch
        {
            ReaderState.Empty => ReaderStateNames.Empty,
            ReaderState.Probing => ReaderStateNames.Probing,
            ReaderState.Verdict => ReaderStateNames.Verdict,
            ReaderState.RemovedDuringProbe => ReaderStateNames.RemovedDuringProbe,
            ReaderState.ModuleFailed => ReaderStateNames.ModuleFailed,
            ReaderState.NoBinding => ReaderStateNames.NoBinding,
        };
#pragma warning restore CS8524
}
