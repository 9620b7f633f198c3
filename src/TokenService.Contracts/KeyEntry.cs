using System.Text.Json.Serialization;

namespace TokenService.Contracts;

public sealed record KeyEntry
{
    [JsonPropertyName("label")] public string? Label { get; init; }
    /// <summary>CKA_ID in lower-case hex.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    /// <summary>`RSA`, `EC`, `EC_EDWARDS` or `OTHER`.</summary>
    [JsonPropertyName("keyType")] public required string KeyType { get; init; }
    [JsonPropertyName("bits")] public int? Bits { get; init; }
    /// <summary>`secp256r1`, `secp384r1`, `secp521r1`, `secp256k1`, `brainpoolP256r1`, `ed25519`, ... or null.</summary>
    [JsonPropertyName("curve")] public string? Curve { get; init; }
    [JsonPropertyName("sign")] public bool Sign { get; init; }
    [JsonPropertyName("alwaysAuthenticate")] public bool AlwaysAuthenticate { get; init; }
    [JsonPropertyName("private")] public bool Private { get; init; }
    /// <summary>CKA_ALLOWED_MECHANISMS names, or null when the key sets no restriction.</summary>
    [JsonPropertyName("allowedMechanisms")] public IReadOnlyList<string>? AllowedMechanisms { get; init; }
    [JsonPropertyName("certificate")] public CertificateEntry? Certificate { get; init; }
    [JsonPropertyName("tls13")] public required TlsCapabilityEntry Tls13 { get; init; }
    [JsonPropertyName("tls12")] public required TlsCapabilityEntry Tls12 { get; init; }
    [JsonPropertyName("clients")] public IReadOnlyList<ClientPredictionEntry> Clients { get; init; } = [];
    [JsonPropertyName("problems")] public IReadOnlyList<ProblemEntry> Problems { get; init; } = [];
    /// <summary>`compatible`, `tls12-only`, `client-dependent` or `incompatible`, for the target clients as the token's verdict.</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    /// <summary>
    /// False for a key seen without login (its certificate or public key while private objects are hidden): the
    /// verdict then assumes what <see cref="Hidden"/> names, and <see cref="Sign"/>, <see cref="AlwaysAuthenticate"/>
    /// and <see cref="AllowedMechanisms"/> hold those assumptions (true, false, null), not readings.
    /// </summary>
    [JsonPropertyName("confirmed")] public bool Confirmed { get; init; } = true;
    /// <summary>What could not be seen: `private-key`, `CKA_SIGN`, `CKA_ALLOWED_MECHANISMS`, `CKA_ALWAYS_AUTHENTICATE`; empty when confirmed.</summary>
    [JsonPropertyName("hidden")] public IReadOnlyList<string> Hidden { get; init; } = [];
    [JsonPropertyName("remediation")] public IReadOnlyList<RemediationEntry> Remediation { get; init; } = [];
    /// <summary>
    /// What the token did when asked to sign through each route the verdict names (`check --self-test`), or
    /// null when no self-test ran. A failure here has already made that scheme unusable (`self-test-failed`).
    /// </summary>
    [JsonPropertyName("selfTest")] public IReadOnlyList<SelfTestEntry>? SelfTest { get; init; }
}

public sealed record SelfTestEntry
{
    /// <summary>`1.3` or `1.2`.</summary>
    [JsonPropertyName("tls")] public required string Tls { get; init; }
    /// <summary>IANA TLS SignatureScheme name, e.g. `rsa_pss_rsae_sha256`.</summary>
    [JsonPropertyName("scheme")] public required string Scheme { get; init; }
    /// <summary>The mechanism signed with, e.g. `CKM_RSA_PKCS_PSS`; null when no route can make the scheme.</summary>
    [JsonPropertyName("route")] public string? Route { get; init; }
    /// <summary>`passed` (signed and verified), `failed` or `not-attempted`.</summary>
    [JsonPropertyName("result")] public required string Result { get; init; }
    /// <summary>The CKR_ name the token refused with, or null.</summary>
    [JsonPropertyName("returnValue")] public string? ReturnValue { get; init; }
    /// <summary>What happened: the key that verified the signature, the call that refused, or why nothing was signed.</summary>
    [JsonPropertyName("detail")] public required string Detail { get; init; }
}

public sealed record CertificateEntry
{
    [JsonPropertyName("label")] public string? Label { get; init; }
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    [JsonPropertyName("serialNumber")] public string SerialNumber { get; init; } = "";
    [JsonPropertyName("notBefore")] public DateTimeOffset NotBefore { get; init; }
    [JsonPropertyName("notAfter")] public DateTimeOffset NotAfter { get; init; }
    /// <summary>keyUsage bit names (`digitalSignature`, `keyEncipherment`, ...), or null when the extension is absent.</summary>
    [JsonPropertyName("keyUsage")] public IReadOnlyList<string>? KeyUsage { get; init; }
    /// <summary>extendedKeyUsage names (`clientAuth`, ...) or dotted OIDs, or null when absent.</summary>
    [JsonPropertyName("extendedKeyUsage")] public IReadOnlyList<string>? ExtendedKeyUsage { get; init; }
    /// <summary>`rsaEncryption`, `id-RSASSA-PSS`, `id-ecPublicKey`, `id-Ed25519`, `id-Ed448` or the OID.</summary>
    [JsonPropertyName("publicKeyAlgorithm")] public required string PublicKeyAlgorithm { get; init; }
    /// <summary>True when the certificate's public key is the private key's public key (compared, not assumed from CKA_ID).</summary>
    [JsonPropertyName("matchesKey")] public bool MatchesKey { get; init; }
}

public sealed record TlsCapabilityEntry
{
    /// <summary>At least one scheme of this version can be made by a route some real client takes.</summary>
    [JsonPropertyName("capable")] public bool Capable { get; init; }
    [JsonPropertyName("schemes")] public IReadOnlyList<SchemeEntry> Schemes { get; init; } = [];
}

public sealed record SchemeEntry
{
    /// <summary>IANA TLS SignatureScheme name, e.g. `rsa_pss_rsae_sha256`.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>The code point, e.g. `0x0804`.</summary>
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("usable")] public bool Usable { get; init; }
    /// <summary>The PKCS#11 mechanism that makes it, e.g. `CKM_RSA_PKCS_PSS`, or null.</summary>
    [JsonPropertyName("route")] public string? Route { get; init; }
    /// <summary>Who hashes the message: `client` or `token` (null without a route).</summary>
    [JsonPropertyName("hashedBy")] public string? HashedBy { get; init; }
    /// <summary>Who applies the padding or encoding: `client` or `token` (null without a route).</summary>
    [JsonPropertyName("paddedBy")] public string? PaddedBy { get; init; }
    /// <summary>Reason codes: why it is not usable, or caveats when it is.</summary>
    [JsonPropertyName("reasons")] public IReadOnlyList<string> Reasons { get; init; } = [];
}

public sealed record ClientPredictionEntry
{
    /// <summary>`chrome-linux`, `chrome-windows`, `chrome-macos`, `firefox`, `gnutls`, `openssl-libp11` or `java`.</summary>
    [JsonPropertyName("stack")] public required string Stack { get; init; }
    /// <summary>
    /// How the model of this stack is known: `tested-here` (checked by real handshakes in the test suite),
    /// `lab-measured` (measured with that client on this machine type, docs/tls-client-auth.md §7) or `modeled` (from the
    /// stack's source and documentation, not measured here).
    /// </summary>
    [JsonPropertyName("basis")] public required string Basis { get; init; }
    [JsonPropertyName("tls13")] public required ClientOutcomeEntry Tls13 { get; init; }
    [JsonPropertyName("tls12")] public required ClientOutcomeEntry Tls12 { get; init; }
}

public sealed record ClientOutcomeEntry
{
    /// <summary>`ok` or `fail`.</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("scheme")] public string? Scheme { get; init; }
    /// <summary>What that user sees on failure (e.g. `ERR_SSL_CLIENT_AUTH_SIGNATURE_FAILED (-141)`).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>The reason code behind a failure, for machines.</summary>
    [JsonPropertyName("cause")] public string? Cause { get; init; }
}
