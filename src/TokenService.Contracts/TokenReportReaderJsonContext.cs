using System.Text.Json.Serialization;

namespace TokenService.Contracts;

/// <summary>
/// Source-generated reading of a check report (`profiles` reads each child `check`'s output): the metadata
/// <see cref="CheckReportJsonContext"/> leaves out, with the same options.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(TokenReport))]
public sealed partial class TokenReportReaderJsonContext : JsonSerializerContext;
