using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
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
    /// When set, every request must carry it in the <c>X-Api-Key</c> header (or as <c>Authorization: Bearer</c>).
    /// Required when <see cref="Listen"/> is not a loopback address. Give it through the environment or a file only
    /// root reads, not the command line.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Host names (DNS names or IP addresses, without a port) the service is reached as, besides the listen address
    /// and, on loopback, <c>localhost</c>: e.g. the machine's name when listening on every address. Any other Host
    /// header is refused (DNS rebinding, see <see cref="AllowedHosts"/>).
    /// </summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary>PEM certificate (chain) to serve HTTPS with; plain HTTP when unset.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1) of <see cref="CertificateFile"/>; unset when that file holds the key too.</summary>
    public string? KeyFile { get; set; }

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

        foreach (var host in AllowedHosts)
        {
            if (!HostNames.TryNormalize(host, out _))
            {
                yield return new ValidationResult(
                    $"'{host}' is not a host name or IP address (no port, no wildcard)", [nameof(AllowedHosts)]);
            }
        }

        if (ServeCertificate.Describe(CertificateFile, KeyFile) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(CertificateFile), nameof(KeyFile)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class ServeOptionsValidator : IValidateOptions<ServeOptions>;
