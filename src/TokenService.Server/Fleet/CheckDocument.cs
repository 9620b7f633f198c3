using System.Text.Json.Serialization;
using TokenService.Contracts;

namespace TokenService.Fleet;

/// <summary>
/// The part of a `check --format json` document (contract v1, TokenService.Contracts.TokenReport) that the fleet
/// summary reads. Everything else (mechanisms, per-scheme and per-client tables, certificates, messages) is skipped
/// unread: a full contract object per document cost most of the time and memory of `report` (docs/benchmarks.md,
/// "Fleet report"). A document is a check document when it has the fields marked required here (the ones the
/// summary cannot do without), whatever else it carries. Words that repeat across a fleet (verdicts, codes, fixes,
/// models) are read through <see cref="SharedStringConverter"/>. Internal to the reading: nothing keeps these objects
/// past <see cref="FleetTally.Add"/>.
/// </summary>
internal sealed class CheckDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = TokenReport.CurrentSchemaVersion;
    [JsonPropertyName("generatedAt")] public DateTimeOffset GeneratedAt { get; set; }
    [JsonPropertyName("tokens")] public List<CheckedToken> Tokens { get; set; } = [];
    [JsonPropertyName("verdict"), JsonConverter(typeof(SharedStringConverter))] public required string Verdict { get; set; }
}

/// <summary>One token of a check document (TokenService.Contracts.TokenEntry, as far as the summary reads it).</summary>
internal sealed class CheckedToken
{
    [JsonPropertyName("label")] public required string Label { get; set; }
    [JsonPropertyName("serialNumber")] public string SerialNumber { get; set; } = "";
    [JsonPropertyName("manufacturer"), JsonConverter(typeof(SharedStringConverter))] public string Manufacturer { get; set; } = "";
    [JsonPropertyName("model"), JsonConverter(typeof(SharedStringConverter))] public string Model { get; set; } = "";
    [JsonPropertyName("keys")] public List<CheckedKey> Keys { get; set; } = [];
    [JsonPropertyName("problems")] public List<CheckedProblem> Problems { get; set; } = [];
    [JsonPropertyName("verdict"), JsonConverter(typeof(SharedStringConverter))] public required string Verdict { get; set; }
    [JsonPropertyName("remediation")] public List<CheckedRemediation> Remediation { get; set; } = [];
}

/// <summary>One key of a token (TokenService.Contracts.KeyEntry, as far as the summary reads it).</summary>
internal sealed class CheckedKey
{
    [JsonPropertyName("problems")] public List<CheckedProblem> Problems { get; set; } = [];
    [JsonPropertyName("verdict"), JsonConverter(typeof(SharedStringConverter))] public required string Verdict { get; set; }
    [JsonPropertyName("remediation")] public List<CheckedRemediation> Remediation { get; set; } = [];
}

/// <summary>A finding by code and severity (its message is for people, not for counting).</summary>
internal sealed class CheckedProblem
{
    [JsonPropertyName("code"), JsonConverter(typeof(SharedStringConverter))] public required string Code { get; set; }
    [JsonPropertyName("severity"), JsonConverter(typeof(SharedStringConverter))] public required string Severity { get; set; }
}

internal sealed class CheckedRemediation
{
    [JsonPropertyName("code"), JsonConverter(typeof(SharedStringConverter))] public required string Code { get; set; }
    [JsonPropertyName("side"), JsonConverter(typeof(SharedStringConverter))] public required string Side { get; set; }
    [JsonPropertyName("action"), JsonConverter(typeof(SharedStringConverter))] public required string Action { get; set; }
}

/// <summary>Source-generated reading of <see cref="CheckDocument"/> (required under NativeAOT).</summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)] // a null where the contract has a string is no check document
[JsonSerializable(typeof(CheckDocument))]
internal sealed partial class CheckDocumentJsonContext : JsonSerializerContext;
