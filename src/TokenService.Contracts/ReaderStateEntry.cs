using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>One PC/SC reader as the watcher sees it now (`GET /api/readers`, one element per reader).</summary>
public sealed record ReaderStateEntry
{
    /// <summary>The reader name as pcscd lists it, e.g. `Virtual PCD 00 00`.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("cardPresent")] public bool CardPresent { get; init; }
    /// <summary>The card's ATR in upper-case hex, or null without a card (empty for a mute card).</summary>
    [JsonPropertyName("atr")] public string? Atr { get; init; }
    /// <summary>What the ATR says about the card (names, catalog family), or null without a card.</summary>
    [JsonPropertyName("card")] public CardNameEntry? Card { get; init; }
    /// <summary>See <see cref="ReaderStateNames"/>.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>The report of the last completed probe of the card present (the `check --format json` document), or null.</summary>
    [JsonPropertyName("report")] public TokenReport? Report { get; init; }
    /// <summary>Why there is no report (module failure, no binding, card pulled), or null.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The values of <see cref="ReaderStateEntry.State"/> and <see cref="CheckHistoryEntry.State"/>.</summary>
public static class ReaderStateNames
{
    /// <summary>No card in the reader.</summary>
    public const string Empty = "empty";
    /// <summary>A card is in and its token is being read.</summary>
    public const string Probing = "probing";
    /// <summary>The token was read: `report` holds the verdict.</summary>
    public const string Verdict = "verdict";
    /// <summary>The card left the reader while it was being read: no verdict (reinsert it).</summary>
    public const string RemovedDuringProbe = "removed-during-probe";
    /// <summary>The module failed, hung, or has no token matching the binding: `error` says which.</summary>
    public const string ModuleFailed = "module-failed";
    /// <summary>No binding maps this reader (and ATR) to a PKCS#11 module and token.</summary>
    public const string NoBinding = "no-binding";
}
