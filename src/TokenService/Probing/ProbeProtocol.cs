using System.Text.Json;
using System.Text.Json.Serialization;
using TokenService.Contracts;

namespace TokenService.Probing;

/// <summary>
/// One request to a probe host (`tokenservice probe-host`), as one line of JSON on its standard input.
/// A request without <see cref="Module"/> is a ping: the host answers <see cref="ProbeHostStatus.Ready"/> and
/// loads nothing. The PIN never travels here: the host reads <see cref="PinFile"/> itself.
/// </summary>
internal sealed record ProbeHostRequest
{
    /// <summary>Chosen by the parent, echoed in the response; a response to an abandoned request is dropped by it.</summary>
    [JsonPropertyName("id")] public long Id { get; init; }

    /// <summary>The PKCS#11 module; loaded on first use and kept loaded for the life of the host.</summary>
    [JsonPropertyName("module")] public string? Module { get; init; }

    [JsonPropertyName("tokenLabel")] public string? TokenLabel { get; init; }

    [JsonPropertyName("slotDescription")] public string? SlotDescription { get; init; }

    /// <summary>A file whose first line is the user PIN, read by the host for this request and cleared after.</summary>
    [JsonPropertyName("pinFile")] public string? PinFile { get; init; }

    /// <summary>The server's signature schemes, as `check --server-schemes` takes them; null: a stock OpenSSL 3 server.</summary>
    [JsonPropertyName("serverSchemes")] public string? ServerSchemes { get; init; }

    /// <summary>The client stacks the headline verdict answers for, comma-separated as `check --clients` takes them; null: every stack.</summary>
    [JsonPropertyName("clients")] public string? Clients { get; init; }
}

/// <summary>
/// The answer to one <see cref="ProbeHostRequest"/>, as one line of JSON on the host's standard output; a
/// probe request gets an <see cref="ProbeHostStatus.Accepted"/> line first.
/// </summary>
internal sealed record ProbeHostResponse
{
    [JsonPropertyName("id")] public long Id { get; init; }

    /// <summary>What the host did; kebab-case on the wire (see <see cref="ProbeHostStatusJsonConverter"/>).</summary>
    [JsonPropertyName("status")] public required ProbeHostStatus Status { get; init; }

    /// <summary>The verdict report (contract v1) when <see cref="Status"/> is <see cref="ProbeHostStatus.Completed"/>.</summary>
    [JsonPropertyName("report")] public TokenReport? Report { get; init; }

    /// <summary>Why there is no report: one line, never a PIN.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The host's process ID (answers to a ping).</summary>
    [JsonPropertyName("pid")] public int? ProcessId { get; init; }

    /// <summary>Time the host spent on the request, from reading its line until the answer was ready to write.</summary>
    [JsonPropertyName("elapsedMs")] public double ElapsedMilliseconds { get; init; }
}

/// <summary>The values of <see cref="ProbeHostResponse.Status"/>.</summary>
[JsonConverter(typeof(ProbeHostStatusJsonConverter))]
internal enum ProbeHostStatus
{
    /// <summary>Answer to a ping: the host runs and reads requests.</summary>
    Ready,
    /// <summary>
    /// Written before a probe request is carried out, ahead of its answer: a host that dies after this line
    /// died on the request (the module's doing); one that dies before it never saw the request.
    /// </summary>
    Accepted,
    Completed,
    TokenNotFound,
    /// <summary>The token went away while it was read (CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, ...).</summary>
    RemovedDuringProbe,
    /// <summary>The module is missing, did not load or initialize, or a call failed.</summary>
    ModuleFailed,
    /// <summary>The request could not be carried out as given: unreadable line, PIN file, server schemes.</summary>
    BadRequest,
}

/// <summary>
/// The one mapping of <see cref="ProbeHostStatus"/> to the wire: kebab-case names (`token-not-found`), no numbers; a
/// name it does not know makes the line unreadable rather than a status the parent guesses.
/// </summary>
internal sealed class ProbeHostStatusJsonConverter() : JsonStringEnumConverter<ProbeHostStatus>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

/// <summary>
/// Compact (one line per message) source-generated serialization of the probe-host protocol. Contract types
/// keep their explicit property names, so a report reads back exactly as `check --format json` writes it.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProbeHostRequest))]
[JsonSerializable(typeof(ProbeHostResponse))]
internal sealed partial class ProbeProtocolJsonContext : JsonSerializerContext;
