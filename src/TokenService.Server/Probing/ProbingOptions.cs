using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TokenService.Tls;

namespace TokenService.Probing;

/// <summary>Configuration section "Probing": how <see cref="OutOfProcessProber"/> runs its probe hosts.</summary>
internal sealed class ProbingOptions : IValidatableObject
{
    public const string Section = "Probing";

    /// <summary>
    /// Bound on one probe request to a running host (hh:mm:ss; default 10 s). A module that has not answered
    /// by then is taken for hung: its host is killed.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bound on starting a host, until it answers a ping (default 10 s). Kept apart from <see cref="Timeout"/>:
    /// a JIT-compiled host needs most of a second to start on a busy machine, a native one milliseconds, and
    /// neither is the module's doing.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The program to start as probe host (tests: `dotnet`); `probe-host` is appended to <see cref="HostArguments"/>.
    /// Null: the lean `tokenservice` beside this program, native or `dotnet tokenservice.dll` (<see cref="Processes.TokenServiceProgram"/>).
    /// </summary>
    public string? HostExecutable { get; set; }

    /// <summary>Arguments before `probe-host` when <see cref="HostExecutable"/> is set (tests: the path of tokenservice.dll).</summary>
    public string[]? HostArguments { get; set; }

    /// <summary>The server's signature schemes as `check --server-schemes` takes them; null: a stock OpenSSL 3 server.</summary>
    public string? ServerSchemes { get; set; }

    /// <summary>Bounds for both timeouts: [Range(typeof(TimeSpan))] needs reflection that NativeAOT trims away.</summary>
    private static readonly (TimeSpan Min, TimeSpan Max) TimeoutRange = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(Timeout), Timeout), (nameof(StartTimeout), StartTimeout) })
        {
            if (value < TimeoutRange.Min || value > TimeoutRange.Max)
            {
                yield return new ValidationResult(
                    $"{name} must be between {TimeoutRange.Min} and {TimeoutRange.Max} (hh:mm:ss), got {value}.", [name]);
            }
        }

        if (HostExecutable is null && HostArguments is { Length: > 0 })
        {
            yield return new ValidationResult("HostArguments needs HostExecutable.", [nameof(HostArguments)]);
        }

        if (HostExecutable is { } executable && executable.Contains('/', StringComparison.Ordinal) && !File.Exists(executable))
        {
            yield return new ValidationResult($"HostExecutable {executable} does not exist.", [nameof(HostExecutable)]);
        }

        string? schemesError = null;
        try
        {
            if (ServerSchemes is not null)
            {
                SignatureSchemeNames.ParseList(ServerSchemes);
            }
        }
        catch (FormatException e)
        {
            schemesError = e.Message;
        }

        if (schemesError is not null)
        {
            yield return new ValidationResult($"ServerSchemes: {schemesError}", [nameof(ServerSchemes)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="ProbingOptions"/> (<see cref="ProbingOptions.Validate"/>).</summary>
[OptionsValidator]
internal sealed partial class ProbingOptionsValidator : IValidateOptions<ProbingOptions>;
