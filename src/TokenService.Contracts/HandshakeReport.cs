using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// `handshake --format json` (contract v1): one real TLS client-auth handshake with a token key, side by side
/// with the engine's prediction for the `openssl-libp11` stack.
/// </summary>
public sealed record HandshakeReport
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>`1.3` or `1.2`: the only version the client offered.</summary>
    [JsonPropertyName("tls")] public required string Tls { get; init; }
    /// <summary>True only when the server accepted the client certificate (see `evidence`).</summary>
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    /// <summary>The client's CertificateVerify scheme (IANA name) when it could be seen, else null (TLS 1.3 encrypts it).</summary>
    [JsonPropertyName("scheme")] public string? Scheme { get; init; }
    /// <summary>What went wrong, or null.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>A client cause code (`clients[].tlsXX.cause` of the check report) or `handshake-failed`; null when ok.</summary>
    [JsonPropertyName("cause")] public string? Cause { get; init; }
    [JsonPropertyName("predicted")] public required HandshakePrediction Predicted { get; init; }
    /// <summary>The outcome is the predicted one and, when both name a scheme, the same scheme.</summary>
    [JsonPropertyName("agrees")] public bool Agrees { get; init; }
    /// <summary>The client that made the handshake: `dotnet-sslstream` (SslStream over OpenSSL, key through the pkcs11 engine).</summary>
    [JsonPropertyName("stack")] public required string Stack { get; init; }
    /// <summary>
    /// What `ok` rests on: `server-finished` (TLS 1.2), `post-handshake-record`, `server-data`,
    /// `no-alert-within-wait` (TLS 1.3), `server-alert`, `server-closed` (closed without an alert), `client-error`,
    /// `not-attempted`.
    /// </summary>
    [JsonPropertyName("evidence")] public required string Evidence { get; init; }
    /// <summary>`host:port` as given.</summary>
    [JsonPropertyName("server")] public required string Server { get; init; }
    /// <summary>False when no --server-ca was given and any server certificate was accepted.</summary>
    [JsonPropertyName("serverCertificateVerified")] public bool ServerCertificateVerified { get; init; }
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("key")] public required HandshakeKeyEntry Key { get; init; }
}

/// <summary>The engine's prediction for the stack `stack` against the server model of the check report.</summary>
public sealed record HandshakePrediction
{
    /// <summary>`ok` or `fail`.</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("scheme")] public string? Scheme { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("cause")] public string? Cause { get; init; }
    /// <summary>The client stack predicted: `openssl-libp11`.</summary>
    [JsonPropertyName("stack")] public required string Stack { get; init; }
    /// <summary>`stock-openssl3` or `given` (--server-schemes).</summary>
    [JsonPropertyName("serverModel")] public required string ServerModel { get; init; }
}

/// <summary>The key the handshake used.</summary>
public sealed record HandshakeKeyEntry
{
    [JsonPropertyName("label")] public string? Label { get; init; }
    /// <summary>CKA_ID, lower-case hex.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    /// <summary>`token` or the --cert-file path.</summary>
    [JsonPropertyName("certificateSource")] public required string CertificateSource { get; init; }
}
