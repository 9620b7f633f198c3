using System.Text.Json.Serialization;

namespace TokenService.Contracts;

public sealed record TokenEntry
{
    [JsonPropertyName("slotId")] public ulong SlotId { get; init; }
    [JsonPropertyName("slotDescription")] public string SlotDescription { get; init; } = "";
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("serialNumber")] public string SerialNumber { get; init; } = "";
    [JsonPropertyName("manufacturer")] public string Manufacturer { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    /// <summary>CK_TOKEN_INFO flag names, e.g. `CKF_LOGIN_REQUIRED`, `CKF_USER_PIN_FINAL_TRY`.</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>`ok`, `count-low`, `final-try`, `locked` or `not-initialized`.</summary>
    [JsonPropertyName("pinStatus")] public string PinStatus { get; init; } = "ok";
    /// <summary>`not-attempted`, `logged-in`, `refused` (we would not risk the card) or `failed`.</summary>
    [JsonPropertyName("login")] public string Login { get; init; } = "not-attempted";
    /// <summary>True when the token needs a login and none was made: private keys may be missing from `keys`.</summary>
    [JsonPropertyName("privateObjectsHidden")] public bool PrivateObjectsHidden { get; init; }
    [JsonPropertyName("mechanisms")] public IReadOnlyList<MechanismEntry> Mechanisms { get; init; } = [];
    [JsonPropertyName("keys")] public IReadOnlyList<KeyEntry> Keys { get; init; } = [];
    [JsonPropertyName("problems")] public IReadOnlyList<ProblemEntry> Problems { get; init; } = [];
    /// <summary>
    /// For the target clients (each at the best version any of the token's keys gives it): `compatible` every one
    /// completes TLS 1.3; `tls12-only` every one completes at least TLS 1.2; `client-dependent` some complete, some
    /// fail in both versions (see <see cref="ClientSupport"/>); `incompatible` none does, or a blocking problem;
    /// `no-visible-key` when the token hides its private objects and shows no certificate or public key either.
    /// </summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    /// <summary>Which target clients complete TLS 1.3, TLS 1.2 only, or neither (stack names as in `clients[].stack`).</summary>
    [JsonPropertyName("clientSupport")] public ClientSupportEntry ClientSupport { get; init; } = new();
    /// <summary>False when a key's verdict rests on assumptions (seen without login), or nothing could be seen; true when logged in.</summary>
    [JsonPropertyName("confirmed")] public bool Confirmed { get; init; } = true;
    [JsonPropertyName("remediation")] public IReadOnlyList<RemediationEntry> Remediation { get; init; } = [];
}

public sealed record ClientSupportEntry
{
    [JsonPropertyName("tls13")] public IReadOnlyList<string> Tls13 { get; init; } = [];
    [JsonPropertyName("tls12Only")] public IReadOnlyList<string> Tls12Only { get; init; } = [];
    [JsonPropertyName("neither")] public IReadOnlyList<string> Neither { get; init; } = [];
}

public sealed record MechanismEntry
{
    /// <summary>`CKM_RSA_PKCS_PSS`, or `CKM_0x...` for a value the table does not name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("minKeySize")] public ulong MinKeySize { get; init; }
    [JsonPropertyName("maxKeySize")] public ulong MaxKeySize { get; init; }
    /// <summary>CKF_ flag names, e.g. `CKF_SIGN`.</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>False when C_GetMechanismInfo answers for a mechanism C_GetMechanismList omits.</summary>
    [JsonPropertyName("listed")] public bool Listed { get; init; } = true;
}

public sealed record ProblemEntry
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    /// <summary>`error`, `warning` or `info`.</summary>
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

public sealed record RemediationEntry
{
    /// <summary>The problem or reason code this fixes.</summary>
    [JsonPropertyName("code")] public required string Code { get; init; }
    /// <summary>Where the fix is applied: `card`, `client` or `server`.</summary>
    [JsonPropertyName("side")] public required string Side { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
}
