using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// Source-generated serialization of the two documents the lean `tokenservice` writes and reads: the check report
/// and the profiles run. A context of its own so that the lean program carries only their serialization code (a
/// NativeAOT program pays at start for every type it carries; docs/benchmarks.md). The options are those of
/// <see cref="ContractsJsonContext"/>: a unit test compares the two contexts' output on the same documents.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TokenReport))]
[JsonSerializable(typeof(ProfileRunReport))]
public sealed partial class CheckReportJsonContext : JsonSerializerContext;
