using System.Collections.Immutable;
using TokenService.SmartCards;

namespace TokenService.Telemetry;

/// <summary>
/// Which card family an ATR belongs to, as a low-cardinality id fit for a metric label and a log attribute: a
/// catalog entry's id, never free text from the card.
/// </summary>
internal interface ICardFamilyLookup
{
    string FamilyOf(ImmutableArray<byte> atr);
}

/// <summary>
/// The family from the card-family catalog (<see cref="CardCatalog.Default"/>): the first family whose ATR pattern
/// matches, in catalog order; <see cref="Unknown"/> when none does.
/// </summary>
internal sealed class CatalogCardFamily(CardCatalog catalog) : ICardFamilyLookup
{
    public const string Unknown = "unknown";

    public string FamilyOf(ImmutableArray<byte> atr) =>
        atr.IsDefaultOrEmpty ? Unknown : catalog.Matching(atr) is [var first, ..] ? first.Id : Unknown;
}

/// <summary>No catalog: every card's family is <c>unknown</c> (tests, and instrumentation built without one).</summary>
internal sealed class UnknownCardFamily : ICardFamilyLookup
{
    public string FamilyOf(ImmutableArray<byte> atr) => CatalogCardFamily.Unknown;
}
