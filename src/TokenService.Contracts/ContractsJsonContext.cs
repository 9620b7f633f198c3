using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>Source-generated serialization for every contract type (required under NativeAOT).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TokenReport))]
[JsonSerializable(typeof(ProfileRunReport))]
[JsonSerializable(typeof(ServerProbeReport))]
[JsonSerializable(typeof(HandshakeReport))]
[JsonSerializable(typeof(ReaderStateEntry))]
[JsonSerializable(typeof(IReadOnlyList<ReaderStateEntry>))]
[JsonSerializable(typeof(CheckHistoryEntry))]
[JsonSerializable(typeof(IReadOnlyList<CheckHistoryEntry>))]
[JsonSerializable(typeof(WatchEventEntry))]
[JsonSerializable(typeof(CardIdentityReport))]
[JsonSerializable(typeof(CardCatalogReport))]
[JsonSerializable(typeof(ServiceStatusEntry))]
[JsonSerializable(typeof(FleetReport))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
