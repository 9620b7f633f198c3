using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// The root of `identify`'s JSON (contract v1): what an ATR says about a card. The names come from pcsc-tools'
/// smartcard_list.txt; the families from the catalog, each with the engine's verdict for its typical keys as
/// that family's middleware presents them.
/// </summary>
public sealed record CardIdentityReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>The ATR as uppercase hex without separators.</summary>
    [JsonPropertyName("atr")] public required string Atr { get; init; }
    /// <summary>Product names from smartcard_list.txt, in the file's order; empty when none matched or the file is missing.</summary>
    [JsonPropertyName("names")] public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Why the names may be incomplete (the database is missing or unreadable), or null.</summary>
    [JsonPropertyName("warning")] public string? Warning { get; init; }
    [JsonPropertyName("families")] public IReadOnlyList<CardFamilyEntry> Families { get; init; } = [];
}

/// <summary>A catalog family whose ATR patterns match, with the engine's verdict per typical key.</summary>
public sealed record CardFamilyEntry
{
    /// <summary>Kebab-case family id, e.g. `yubikey-piv-opensc`.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>e.g. `OpenSC >= 0.20.0 (opensc-pkcs11.so, driver PIV-II)`.</summary>
    [JsonPropertyName("middleware")] public required string Middleware { get; init; }
    [JsonPropertyName("keys")] public IReadOnlyList<CardFamilyKeyEntry> Keys { get; init; } = [];
    [JsonPropertyName("sources")] public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>One typical key of a family, judged as its middleware presents it (with a valid client certificate).</summary>
public sealed record CardFamilyKeyEntry
{
    /// <summary>`RSA`, `EC` or `EC_EDWARDS`, as in `check`.</summary>
    [JsonPropertyName("keyType")] public required string KeyType { get; init; }
    [JsonPropertyName("bits")] public int? Bits { get; init; }
    [JsonPropertyName("curve")] public string? Curve { get; init; }
    /// <summary>`compatible`, `tls12-only` or `incompatible`, as the engine computes it.</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    /// <summary>The verdict the family's documented field behaviour leads to (the catalog's expectation).</summary>
    [JsonPropertyName("expectedVerdict")] public required string ExpectedVerdict { get; init; }
    /// <summary>True when the catalog marks this key or the family's mechanism list as inferred, not read from a source.</summary>
    [JsonPropertyName("inferred")] public bool Inferred { get; init; }
    /// <summary>Per client stack, the same shape as `check`'s `clients`.</summary>
    [JsonPropertyName("clients")] public IReadOnlyList<ClientPredictionEntry> Clients { get; init; } = [];
}

/// <summary>The root of `cards --format json` (contract v1): the card-family catalog.</summary>
public sealed record CardCatalogReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("families")] public IReadOnlyList<CardCatalogFamilyEntry> Families { get; init; } = [];
}

/// <summary>One catalog family with everything the catalog says about it.</summary>
public sealed record CardCatalogFamilyEntry
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("middleware")] public required string Middleware { get; init; }
    /// <summary>ATR patterns in pcsc-tools' syntax (hex bytes, `.` any nibble).</summary>
    [JsonPropertyName("atrPatterns")] public IReadOnlyList<string> AtrPatterns { get; init; } = [];
    /// <summary>The signing mechanisms as the middleware lists them, with C_GetMechanismInfo flags.</summary>
    [JsonPropertyName("mechanisms")] public IReadOnlyList<CardMechanismEntry> Mechanisms { get; init; } = [];
    [JsonPropertyName("mechanismsInferred")] public bool MechanismsInferred { get; init; }
    [JsonPropertyName("keys")] public IReadOnlyList<CardFamilyKeyEntry> Keys { get; init; } = [];
    [JsonPropertyName("facts")] public IReadOnlyList<CardFactEntry> Facts { get; init; } = [];
    [JsonPropertyName("sources")] public IReadOnlyList<string> Sources { get; init; } = [];
}

public sealed record CardMechanismEntry
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("minKeySize")] public ulong MinKeySize { get; init; }
    [JsonPropertyName("maxKeySize")] public ulong MaxKeySize { get; init; }
    /// <summary>Kebab-case CKF_ names: `hw`, `sign`, `verify`, `decrypt`, ...</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string> Flags { get; init; } = [];
}

/// <summary>A known behaviour of the family, with its public source; `inferred` when not read from one.</summary>
public sealed record CardFactEntry
{
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("inferred")] public bool Inferred { get; init; }
}
