using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>Whether the watcher reaches pcscd now (`GET /api/status`): what a client joining the event stream late cannot see in it.</summary>
public sealed record ServiceStatusEntry
{
    /// <summary>`ok` or `lost`.</summary>
    [JsonPropertyName("pcscd")] public required string Pcscd { get; init; }
    /// <summary>For `lost`: the failing PC/SC call and its code, as in the `service-lost` event; else null.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}
