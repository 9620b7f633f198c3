using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace TokenService.SmartCards;

/// <summary>One card family of families.json: a card as its middleware presents it to PKCS#11 clients.</summary>
internal sealed record CardFamily
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("atrPatterns")] public ImmutableArray<SourcedPattern> AtrPatterns { get; init; } = [];
    [JsonPropertyName("middleware")] public required FamilyMiddleware Middleware { get; init; }
    [JsonPropertyName("mechanisms")] public ImmutableArray<FamilyMechanism> Mechanisms { get; init; } = [];
    [JsonPropertyName("mechanismsSource")] public required string MechanismsSource { get; init; }
    [JsonPropertyName("mechanismsInferred")] public bool MechanismsInferred { get; init; }
    /// <summary>What the middleware shows in CK_TOKEN_INFO and CK_INFO (softhsm-config/tools/p11view.c presents it).</summary>
    [JsonPropertyName("token")] public FamilyToken? Token { get; init; }
    [JsonPropertyName("keys")] public ImmutableArray<FamilyKey> Keys { get; init; } = [];
    [JsonPropertyName("facts")] public ImmutableArray<FamilyFact> Facts { get; init; } = [];

    /// <summary>Every distinct source the family's data cites, in order of appearance.</summary>
    public ImmutableArray<string> Sources =>
        [.. new[] { Middleware.Source, MechanismsSource }.Concat(AtrPatterns.Select(p => p.Source)).Concat(Token is null ? [] : [Token.Source])
            .Concat(Facts.Select(f => f.Source)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// An ATR of this family: its first pattern without wildcards, else its first pattern with every wildcard byte
    /// (`..`) as 00. What `vcard family` presents and the demo bench binds.
    /// </summary>
    public ImmutableArray<byte> SampleAtr
    {
        get
        {
            var pattern = AtrPatterns.FirstOrDefault(p => !p.Pattern.Contains("..", StringComparison.Ordinal)) ?? AtrPatterns[0];
            return [.. pattern.Pattern.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(b => b == ".." ? (byte)0 : byte.Parse(b, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>`OpenSC >= 0.20.0 (opensc-pkcs11.so, driver PIV-II)`.</summary>
    public string MiddlewareText =>
        $"{Middleware.Name} {Middleware.Versions} ({Middleware.Module}{(Middleware.Driver is null ? "" : $", driver {Middleware.Driver}")})";
}

internal sealed record SourcedPattern
{
    [JsonPropertyName("pattern")] public required string Pattern { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
}

internal sealed record FamilyMiddleware
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("module")] public required string Module { get; init; }
    [JsonPropertyName("driver")] public string? Driver { get; init; }
    [JsonPropertyName("versions")] public required string Versions { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
}

internal sealed record FamilyMechanism
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("minKeySize")] public ulong MinKeySize { get; init; }
    [JsonPropertyName("maxKeySize")] public ulong MaxKeySize { get; init; }
    [JsonPropertyName("flags")] public ImmutableArray<string> Flags { get; init; } = [];
}

/// <summary>The token and library info a family's middleware reports; a label that names a person or a serial is a stand-in of its shape.</summary>
internal sealed record FamilyToken
{
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("manufacturer")] public required string Manufacturer { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("libraryManufacturer")] public string? LibraryManufacturer { get; init; }
    [JsonPropertyName("libraryDescription")] public string? LibraryDescription { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("inferred")] public bool Inferred { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
}

/// <summary>A typical authentication key of the family and the verdict its documented field behaviour leads to.</summary>
internal sealed record FamilyKey
{
    /// <summary>`RSA`, `EC` or `EC_EDWARDS`.</summary>
    [JsonPropertyName("keyType")] public required string KeyType { get; init; }
    [JsonPropertyName("bits")] public int? Bits { get; init; }
    /// <summary>The engine's curve name (`secp256r1`, `secp384r1`, `Ed25519`).</summary>
    [JsonPropertyName("curve")] public string? Curve { get; init; }
    [JsonPropertyName("expectedVerdict")] public required string ExpectedVerdict { get; init; }
    [JsonPropertyName("inferred")] public bool Inferred { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
}

internal sealed record FamilyFact
{
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("inferred")] public bool Inferred { get; init; }
}

internal sealed record CatalogDocument
{
    [JsonPropertyName("families")] public ImmutableArray<CardFamily> Families { get; init; } = [];
}

[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
