using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>The root of the server probe's JSON (contract v1): what a server asks of client certificates.</summary>
public sealed record ServerProbeReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>`host:port` as probed.</summary>
    [JsonPropertyName("endpoint")] public required string Endpoint { get; init; }
    [JsonPropertyName("tls13")] public required ServerProbeVersionEntry Tls13 { get; init; }
    [JsonPropertyName("tls12")] public required ServerProbeVersionEntry Tls12 { get; init; }
}

/// <summary>The CertificateRequest of one TLS version.</summary>
public sealed record ServerProbeVersionEntry
{
    /// <summary>The server answered with a ServerHello for this version.</summary>
    [JsonPropertyName("accepted")] public bool Accepted { get; init; }
    /// <summary>The server sent a CertificateRequest (meaningful when `error` is null).</summary>
    [JsonPropertyName("requestsCertificate")] public bool RequestsCertificate { get; init; }
    /// <summary>IANA SignatureScheme names in the server's order, `0xNNNN` for unnamed code points.</summary>
    [JsonPropertyName("signatureAlgorithms")] public IReadOnlyList<string> SignatureAlgorithms { get; init; } = [];
    /// <summary>The signature_algorithms_cert extension, or null when the server did not send it.</summary>
    [JsonPropertyName("signatureAlgorithmsCert")] public IReadOnlyList<string>? SignatureAlgorithmsCert { get; init; }
    /// <summary>RFC 4514 distinguished names in the server's order; empty when it names none.</summary>
    [JsonPropertyName("certificateAuthorities")] public IReadOnlyList<string> CertificateAuthorities { get; init; } = [];
    /// <summary>Why this version gave no answer (refused, timeout, version refused), or null.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
