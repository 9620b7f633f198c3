using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>`profiles --format json`: one check per provisioned profile, with the verdict its manifest expects.</summary>
public sealed record ProfileRunReport
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = TokenReport.CurrentSchemaVersion;
    [JsonPropertyName("manifest")] public required string Manifest { get; init; }
    [JsonPropertyName("profiles")] public IReadOnlyList<ProfileResult> Profiles { get; init; } = [];
    [JsonPropertyName("elapsedMilliseconds")] public double ElapsedMilliseconds { get; init; }
}

public sealed record ProfileResult
{
    [JsonPropertyName("profile")] public required string Profile { get; init; }
    [JsonPropertyName("config")] public required string Config { get; init; }
    [JsonPropertyName("expectedVerdict")] public required string ExpectedVerdict { get; init; }
    /// <summary>The verdict of the token, or null when the check failed (see `error`).</summary>
    [JsonPropertyName("verdict")] public string? Verdict { get; init; }
    [JsonPropertyName("matchesExpected")] public bool MatchesExpected { get; init; }
    [JsonPropertyName("exitCode")] public int ExitCode { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("elapsedMilliseconds")] public double ElapsedMilliseconds { get; init; }
    [JsonPropertyName("report")] public TokenReport? Report { get; init; }
}
