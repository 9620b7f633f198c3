using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// `report --format json` (contract v1): the fleet summary of many `check --format json` documents, one per device.
/// Lists are ordered by count, largest first, then by name.
/// </summary>
public sealed record FleetReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("inputs")] public required FleetInputsEntry Inputs { get; init; }
    /// <summary>One per check document: its `verdict` (the worst token of that device).</summary>
    [JsonPropertyName("devices")] public required FleetTallyEntry Devices { get; init; }
    /// <summary>
    /// One per distinct card (manufacturer, model and serial number; the newest document wins when a card was seen on
    /// several devices; a token without a serial number counts once per document): its token `verdict`.
    /// </summary>
    [JsonPropertyName("cards")] public required FleetTallyEntry Cards { get; init; }
    /// <summary>Token entries read, before cards seen on several devices were counted once.</summary>
    [JsonPropertyName("cardObservations")] public long CardObservations { get; init; }
    /// <summary>
    /// Cards by the token's manufacturer and model as PKCS#11 reports them. Not by card family: a check document
    /// carries none (the family comes from the card's ATR, which a PKCS#11 module does not show).
    /// </summary>
    [JsonPropertyName("models")] public IReadOnlyList<FleetModelEntry> Models { get; init; } = [];
    /// <summary>Cards that do not work (any verdict but `compatible`) by their headline cause.</summary>
    [JsonPropertyName("causes")] public IReadOnlyList<FleetCountEntry> Causes { get; init; } = [];
    /// <summary>Each fix the reports name, and how many cards that do not work it alone would make work.</summary>
    [JsonPropertyName("remediations")] public IReadOnlyList<FleetRemediationEntry> Remediations { get; init; } = [];
    /// <summary>Cards that no client-side or server-side fix makes work: only a card-side fix (re-issue, re-provision) does.</summary>
    [JsonPropertyName("cardSideOnly")] public required FleetCardListEntry CardSideOnly { get; init; }
}

/// <summary>What was read: every input is counted, and each one that is not a check document is named.</summary>
public sealed record FleetInputsEntry
{
    /// <summary>Files and standard-input lines read.</summary>
    [JsonPropertyName("documents")] public long Documents { get; init; }
    /// <summary>Check documents summarised.</summary>
    [JsonPropertyName("checks")] public long Checks { get; init; }
    /// <summary>Not JSON (or cut short).</summary>
    [JsonPropertyName("malformed")] public long Malformed { get; init; }
    /// <summary>JSON, but not a `check --format json` document of schema 1.</summary>
    [JsonPropertyName("foreign")] public long Foreign { get; init; }
    /// <summary>Larger than the bound on one document (not read).</summary>
    [JsonPropertyName("oversized")] public long Oversized { get; init; }
    /// <summary>Could not be read (permissions, vanished).</summary>
    [JsonPropertyName("unreadable")] public long Unreadable { get; init; }
    [JsonPropertyName("problems")] public IReadOnlyList<FleetInputProblemEntry> Problems { get; init; } = [];
    /// <summary>Problem inputs beyond the listed ones (counted above, not named).</summary>
    [JsonPropertyName("problemsNotListed")] public long ProblemsNotListed { get; init; }
}

public sealed record FleetInputProblemEntry
{
    /// <summary>The file path, or `-:LINE` for standard input.</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }
    /// <summary>`malformed`, `foreign`, `oversized` or `unreadable`.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("detail")] public required string Detail { get; init; }
}

public sealed record FleetTallyEntry
{
    [JsonPropertyName("total")] public long Total { get; init; }
    /// <summary>Every verdict string seen, known or not.</summary>
    [JsonPropertyName("byVerdict")] public IReadOnlyList<FleetCountEntry> ByVerdict { get; init; } = [];
    /// <summary>How many carry a verdict this version does not know (e.g. from a newer `check`).</summary>
    [JsonPropertyName("unknownVerdicts")] public long UnknownVerdicts { get; init; }
}

public sealed record FleetCountEntry
{
    /// <summary>A verdict, a cause code, ...</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("count")] public long Count { get; init; }
}

public sealed record FleetModelEntry
{
    [JsonPropertyName("manufacturer")] public required string Manufacturer { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("cards")] public long Cards { get; init; }
    [JsonPropertyName("byVerdict")] public IReadOnlyList<FleetCountEntry> ByVerdict { get; init; } = [];
}

public sealed record FleetRemediationEntry
{
    /// <summary>`server`, `client` or `card`.</summary>
    [JsonPropertyName("side")] public required string Side { get; init; }
    /// <summary>The problem code it fixes.</summary>
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    /// <summary>Cards that do not work and whose report names this fix.</summary>
    [JsonPropertyName("cardsNamingIt")] public long CardsNamingIt { get; init; }
    /// <summary>Of those, the cards this fix alone makes work: it fixes every blocking finding of one of their keys.</summary>
    [JsonPropertyName("cardsItMakesWork")] public long CardsItMakesWork { get; init; }
}

public sealed record FleetCardListEntry
{
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("byCause")] public IReadOnlyList<FleetCountEntry> ByCause { get; init; } = [];
    [JsonPropertyName("cards")] public IReadOnlyList<FleetCardEntry> Cards { get; init; } = [];
    [JsonPropertyName("cardsNotListed")] public long CardsNotListed { get; init; }
}

public sealed record FleetCardEntry
{
    [JsonPropertyName("manufacturer")] public required string Manufacturer { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("serialNumber")] public required string SerialNumber { get; init; }
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("cause")] public string? Cause { get; init; }
    /// <summary>The document it was read from.</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }
}
