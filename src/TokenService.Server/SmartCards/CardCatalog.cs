using System.Collections.Immutable;
using System.Text.Json;
using TokenService.Drivers.Snapshots;

namespace TokenService.SmartCards;

/// <summary>
/// The card-family catalog (families.json, embedded in the binary): data, not code. Loaded once and checked
/// as it loads: a catalog entry that names an unknown mechanism, flag, key type or verdict, or an ATR pattern that
/// does not compile, is a defect of this repository (the unit tests load it).
/// </summary>
internal sealed class CardCatalog
{
    private const string ResourceName = "TokenService.SmartCards.families.json";
    private static readonly Lazy<CardCatalog> Embedded = new(LoadEmbedded);

    private readonly ImmutableArray<(CardFamily Family, ImmutableArray<AtrExpression> Patterns)> _families;

    private CardCatalog(ImmutableArray<(CardFamily, ImmutableArray<AtrExpression>)> families) => _families = families;

    public static CardCatalog Default => Embedded.Value;

    public ImmutableArray<CardFamily> Families => [.. _families.Select(f => f.Family)];

    /// <summary>Families with an ATR pattern that matches, in catalog order.</summary>
    public ImmutableArray<CardFamily> Matching(ImmutableArray<byte> atr)
    {
        var spaced = Atr.Spaced(atr);
        return [.. _families.Where(f => f.Patterns.Any(p => p.Matches(spaced))).Select(f => f.Family)];
    }

    public CardFamily? Find(string id) => _families.Select(f => f.Family).FirstOrDefault(f => f.Id == id);

    /// <exception cref="InvalidDataException">The document is not a valid catalog.</exception>
    public static CardCatalog Parse(Stream json)
    {
        var document = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.CatalogDocument)
            ?? throw new InvalidDataException("the card catalog is empty");
        var families = ImmutableArray.CreateBuilder<(CardFamily, ImmutableArray<AtrExpression>)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in document.Families)
        {
            Check(family, ids);
            families.Add((family, [.. family.AtrPatterns.Select(p => AtrExpression.TryCreate(p.Pattern)
                ?? throw new InvalidDataException($"family {family.Id}: ATR pattern '{p.Pattern}' is not a valid expression"))]));
        }

        return new CardCatalog(families.ToImmutable());
    }

    private static void Check(CardFamily family, HashSet<string> ids)
    {
        void Fail(string what) => throw new InvalidDataException($"family {family.Id}: {what}");

        if (family.Id.Length == 0 || !family.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || !ids.Add(family.Id))
        {
            Fail("the id must be unique kebab-case");
        }

        if (family.AtrPatterns.IsDefaultOrEmpty || family.Mechanisms.IsDefaultOrEmpty || family.Keys.IsDefaultOrEmpty)
        {
            Fail("ATR patterns, mechanisms and keys are required");
        }

        foreach (var mechanism in family.Mechanisms)
        {
            if (!Mechanisms.TryParse(mechanism.Name, out _))
            {
                Fail($"unknown mechanism {mechanism.Name}");
            }

            foreach (var flag in mechanism.Flags.Where(f => !MechanismFlags.TryParse(f, out _)))
            {
                Fail($"unknown flag {flag} on {mechanism.Name}");
            }
        }

        foreach (var key in family.Keys)
        {
            var shaped = key.KeyType switch
            {
                "RSA" => key.Bits is >= 512 && key.Curve is null,
                "EC" or "EC_EDWARDS" => key.Bits is null && Verdicts.Curves.FieldBits(key.Curve) is not null,
                _ => false,
            };
            if (!shaped)
            {
                Fail($"key {key.KeyType} needs bits (RSA) or a known curve (EC)");
            }

            if (!Reporting.ContractNames.TryParseVerdict(key.ExpectedVerdict, out _))
            {
                Fail($"unknown verdict {key.ExpectedVerdict}");
            }
        }

        // CK_TOKEN_INFO and CK_INFO hold these in fixed blank-padded fields (PKCS#11 v2.40 §3.2, §5.4): longer text cannot be what a middleware shows.
        if (family.Token is { } token)
        {
            foreach (var (field, text, size) in new[]
            {
                ("label", token.Label, 32), ("manufacturer", token.Manufacturer, 32), ("model", token.Model, 16),
                ("libraryManufacturer", token.LibraryManufacturer, 32), ("libraryDescription", token.LibraryDescription, 32),
            })
            {
                if (text is not null && (text.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(text) > size || text.Any(char.IsControl)))
                {
                    Fail($"token {field} must be 1 to {size} bytes of UTF-8 without control characters");
                }
            }
        }
    }

    private static CardCatalog LoadEmbedded()
    {
        using var stream = typeof(CardCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        return Parse(stream);
    }
}
