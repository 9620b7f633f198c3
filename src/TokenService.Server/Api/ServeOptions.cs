using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TokenService.Api;

/// <summary>
/// The HTTP API of <c>serve</c> (configuration section <c>TokenService:Serve</c>, e.g. the environment variable
/// TOKENSERVICE__SERVE__LISTEN). Validated at start: the host does not start with a bad value.
/// </summary>
internal sealed class ServeOptions : IValidatableObject
{
    public const string Section = "Serve";
    public const string DefaultListen = "127.0.0.1:5077";

    /// <summary>Smallest API key accepted: 16 characters (about 96 bits when random base64).</summary>
    public const int MinApiKeyLength = 16;

    /// <summary>`HOST:PORT` to listen on; see <see cref="ListenAddress"/>.</summary>
    [Required]
    public string Listen { get; set; } = DefaultListen;

    /// <summary>
    /// When set, every request must carry it in the <c>X-Api-Key</c> header. Required when <see cref="Listen"/> is
    /// not a loopback address. Give it through the environment or a file only root reads, not the command line.
    /// </summary>
    public string? ApiKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ListenAddress.TryParse(Listen, out var address))
        {
            yield return new ValidationResult(
                $"Listen: expected HOST:PORT with an IP address, localhost or *, got '{Listen}'", [nameof(Listen)]);
            yield break;
        }

        if (ApiKey is { Length: < MinApiKeyLength })
        {
            yield return new ValidationResult($"ApiKey: at least {MinApiKeyLength} characters", [nameof(ApiKey)]);
        }
        else if (!address.IsLoopback && ApiKey is null)
        {
            yield return new ValidationResult(
                $"listening on {address}, which other machines can reach, needs an API key: set TOKENSERVICE__SERVE__APIKEY (or TokenService:Serve:ApiKey in appsettings.json)",
                [nameof(ApiKey)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class ServeOptionsValidator : IValidateOptions<ServeOptions>;
