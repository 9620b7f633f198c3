using System.Collections.Immutable;
using TokenService.Contracts;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.SmartCards;

/// <summary>What an ATR says: product names from pcsc-tools' database and the catalog families it matches.</summary>
internal sealed class CardIdentifier(SmartcardListFile.Loaded database, CardCatalog catalog)
{
    public string? Warning => database.Warning;

    public ImmutableArray<string> Names(ImmutableArray<byte> atr) => database.List?.Names(atr) ?? [];

    public ImmutableArray<CardFamily> Families(ImmutableArray<byte> atr) => catalog.Matching(atr);

    /// <summary>The card's name entry for the watcher (`/api/readers`, history): names and families, no verdicts.</summary>
    public CardNameEntry Name(ImmutableArray<byte> atr)
    {
        var families = Families(atr);
        return new CardNameEntry
        {
            Atr = Atr.Compact(atr),
            Names = Names(atr),
            Family = families.IsEmpty ? null : families[0].Id,
            Families = [.. families.Select(f => f.Id)],
        };
    }

    /// <summary>
    /// The `identify` report: names, and per matching family the engine's verdict for its typical keys, answering for
    /// <paramref name="targets"/> (every client stack when null).
    /// </summary>
    public CardIdentityReport Identify(ImmutableArray<byte> atr, ServerModel server, DateTimeOffset now, ClientTargets? targets = null) => new()
    {
        Atr = Atr.Compact(atr),
        Names = Names(atr),
        Warning = Warning,
        Families = [.. Families(atr).Select(f => new CardFamilyEntry
        {
            Id = f.Id,
            Name = f.Name,
            Middleware = f.MiddlewareText,
            Keys = FamilyVerdicts.Evaluate(f, server, now, targets),
            Sources = f.Sources,
        })],
    };

    /// <summary>The `cards` report: the whole catalog, each key with the engine's verdict next to the expected one.</summary>
    public static CardCatalogReport Catalog(CardCatalog catalog, ServerModel server, DateTimeOffset now) => new()
    {
        Families = [.. catalog.Families.Select(f => new CardCatalogFamilyEntry
        {
            Id = f.Id,
            Name = f.Name,
            Middleware = f.MiddlewareText,
            AtrPatterns = [.. f.AtrPatterns.Select(p => p.Pattern)],
            Mechanisms = [.. f.Mechanisms.Select(m => new CardMechanismEntry { Name = m.Name, MinKeySize = m.MinKeySize, MaxKeySize = m.MaxKeySize, Flags = m.Flags })],
            MechanismsInferred = f.MechanismsInferred,
            Keys = FamilyVerdicts.Evaluate(f, server, now),
            Facts = [.. f.Facts.Select(x => new CardFactEntry { Text = x.Text, Source = x.Source, Inferred = x.Inferred })],
            Sources = f.Sources,
        })],
    };
}
