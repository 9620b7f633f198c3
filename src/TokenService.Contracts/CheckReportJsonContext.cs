using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// Source-generated writing of the two documents the lean `tokenservice` prints: the check report and the profiles
/// run. Serialization only: the generated code writes each object directly, so a one-shot `check` does not build
/// System.Text.Json's metadata for the whole contract first (about 5 ms of a 35 ms check, most of it reflection over
/// every contract type; docs/benchmarks.md). A context of its own so that the lean program carries only these two
/// documents. The options are those of <see cref="ContractsJsonContext"/>: a unit test compares the two contexts'
/// output on the same documents. Reading a check report back: <see cref="TokenReportReaderJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(TokenReport))]
[JsonSerializable(typeof(ProfileRunReport))]
public sealed partial class CheckReportJsonContext : JsonSerializerContext;
