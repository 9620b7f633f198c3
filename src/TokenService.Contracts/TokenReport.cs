using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>The root of `check --format json` (contract v1).</summary>
public sealed record TokenReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("generatedAt")] public DateTimeOffset GeneratedAt { get; init; }
    [JsonPropertyName("module")] public required ModuleEntry Module { get; init; }
    /// <summary>The server the predictions were made against.</summary>
    [JsonPropertyName("server")] public required ServerModelEntry Server { get; init; }
    [JsonPropertyName("tokens")] public IReadOnlyList<TokenEntry> Tokens { get; init; } = [];
    /// <summary>The worst token verdict: what the exit code reports.</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    /// <summary>The client stacks the verdicts answer for (`check --clients`; default every modeled stack).</summary>
    [JsonPropertyName("targetClients")] public IReadOnlyList<string> TargetClients { get; init; } = [];
    /// <summary>
    /// Tokens present without CKF_TOKEN_INITIALIZED (e.g. SoftHSM's free slot): never set up, nothing to judge, so
    /// neither in `tokens` nor in `verdict` (added in contract v1, additive).
    /// </summary>
    [JsonPropertyName("uninitializedTokens")] public IReadOnlyList<UninitializedTokenEntry> UninitializedTokens { get; init; } = [];
}

/// <summary>A token present in a slot but not initialized (CK_TOKEN_INFO.flags without CKF_TOKEN_INITIALIZED).</summary>
public sealed record UninitializedTokenEntry
{
    [JsonPropertyName("slotId")] public ulong SlotId { get; init; }
    [JsonPropertyName("slotDescription")] public string SlotDescription { get; init; } = "";
    [JsonPropertyName("label")] public string Label { get; init; } = "";
    [JsonPropertyName("manufacturer")] public string Manufacturer { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("serialNumber")] public string SerialNumber { get; init; } = "";
}

public sealed record ModuleEntry
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("manufacturer")] public string? Manufacturer { get; init; }
    [JsonPropertyName("cryptokiVersion")] public string? CryptokiVersion { get; init; }
    [JsonPropertyName("libraryVersion")] public string? LibraryVersion { get; init; }
}

/// <summary>Which server the per-client predictions assume.</summary>
public sealed record ServerModelEntry
{
    /// <summary>`stock-openssl3` (the default model), `given` (--server-schemes) or `probed` (--server).</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }
    /// <summary>`host:port` when probed, else null.</summary>
    [JsonPropertyName("endpoint")] public string? Endpoint { get; init; }
    /// <summary>signature_algorithms of the CertificateRequest for TLS 1.3, in the server's order.</summary>
    [JsonPropertyName("tls13Schemes")] public IReadOnlyList<string> Tls13Schemes { get; init; } = [];
    /// <summary>supported_signature_algorithms of the CertificateRequest for TLS 1.2, in the server's order.</summary>
    [JsonPropertyName("tls12Schemes")] public IReadOnlyList<string> Tls12Schemes { get; init; } = [];
    /// <summary>Smallest RSA client key the server accepts (Debian's OpenSSL security level 2: 2048).</summary>
    [JsonPropertyName("minRsaBits")] public int MinRsaBits { get; init; }
    /// <summary>certificate_authorities as RFC 4514 names, when the server sends them (null: any issuer it trusts).</summary>
    [JsonPropertyName("certificateAuthorities")] public IReadOnlyList<string>? CertificateAuthorities { get; init; }
    /// <summary>The server negotiates TLS 1.3 (false only when a probe saw it refuse).</summary>
    [JsonPropertyName("tls13Accepted")] public bool Tls13Accepted { get; init; } = true;
    /// <summary>The server negotiates TLS 1.2.</summary>
    [JsonPropertyName("tls12Accepted")] public bool Tls12Accepted { get; init; } = true;
    /// <summary>The server sends a CertificateRequest in TLS 1.3.</summary>
    [JsonPropertyName("tls13RequestsCertificate")] public bool Tls13RequestsCertificate { get; init; } = true;
    /// <summary>The server sends a CertificateRequest in TLS 1.2.</summary>
    [JsonPropertyName("tls12RequestsCertificate")] public bool Tls12RequestsCertificate { get; init; } = true;
}
