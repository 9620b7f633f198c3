using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>One finished check of a card (`GET /api/history`, newest first).</summary>
public sealed record CheckHistoryEntry
{
    [JsonPropertyName("reader")] public required string Reader { get; init; }
    /// <summary>The card's ATR in upper-case hex.</summary>
    [JsonPropertyName("atr")] public string? Atr { get; init; }
    /// <summary>What the ATR says about the card (names, catalog family), when a card was identified.</summary>
    [JsonPropertyName("card")] public CardNameEntry? Card { get; init; }
    /// <summary>`verdict`, `module-failed`, `removed-during-probe` or `no-binding` (see <see cref="ReaderStateNames"/>).</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>The token verdict (`compatible`, `tls12-only`, `incompatible`) when <see cref="State"/> is `verdict`, else null.</summary>
    [JsonPropertyName("verdict")] public string? Verdict { get; init; }
    /// <summary>The token label the binding names (or the first token's label in the report), when known.</summary>
    [JsonPropertyName("tokenLabel")] public string? TokenLabel { get; init; }
    /// <summary>The PKCS#11 module path, when a binding named one.</summary>
    [JsonPropertyName("module")] public string? Module { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("startedAt")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("durationMilliseconds")] public double DurationMilliseconds { get; init; }
}
