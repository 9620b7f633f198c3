using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TokenService.Verdicts.Clients;

namespace TokenService.Probing;

/// <summary>
/// Configuration section "Verdict": which client stacks the headline verdict of `watch` and `serve` answers for,
/// as `check --clients` (README "Clients"). Every probe host builds its reports for these targets, so the screen,
/// <c>/api/readers</c>, <c>/api/history</c>, the events and the page all show the same headline.
/// </summary>
internal sealed class VerdictOptions : IValidatableObject
{
    public const string Section = "Verdict";

    /// <summary>Comma-separated stack names (e.g. <c>chrome-windows,firefox</c>); null: every stack the engine models.</summary>
    public string? Clients { get; set; }

    /// <summary>The parsed targets; null when <see cref="Clients"/> is unset (every stack).</summary>
    /// <exception cref="InvalidOperationException">the list names an unknown stack (validation at start prevents this).</exception>
    public ClientTargets? Targets() => Clients is null
        ? null
        : ClientTargets.TryParse(Clients.Split(','), out var error) ?? throw new InvalidOperationException($"Verdict:Clients: {error}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Clients is not null && ClientTargets.TryParse(Clients.Split(','), out var error) is null)
        {
            // The options validator names the member before this message.
            yield return new ValidationResult(error, [nameof(Clients)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="VerdictOptions"/> (<see cref="VerdictOptions.Validate"/>).</summary>
[OptionsValidator]
internal sealed partial class VerdictOptionsValidator : IValidateOptions<VerdictOptions>;
