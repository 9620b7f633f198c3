using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TokenService.Locating;

/// <summary>
/// Configuration section "Locating": where <see cref="TokenLocator"/> finds the token for a card. Bench
/// bindings first (test benches, virtual readers), then, for any other reader, the p11-kit module named by
/// <see cref="P11KitModule"/> (real deployments). At least one of the two.
/// </summary>
internal sealed class LocatingOptions : IValidatableObject
{
    public const string Section = "Locating";

    /// <summary>A bench bindings file (README "Bench bindings"), or null.</summary>
    public string? BindingsFile { get; set; }

    /// <summary>
    /// The p11-kit module that serves cards in real readers, by its registered name (Debian's OpenSC:
    /// "opensc-pkcs11"), or null for bench bindings only. Its slots are found by reader name.
    /// </summary>
    public string? P11KitModule { get; set; }

    /// <summary>p11-kit's config directories, earlier ones winning (default: /etc/pkcs11/modules, /usr/share/p11-kit/modules).</summary>
    public string[]? P11KitConfigDirectories { get; set; }

    /// <summary>Where p11-kit finds relative `module:` names (default: Debian's /usr/lib/ARCH-linux-gnu/pkcs11).</summary>
    public string? P11KitModuleDirectory { get; set; }

    public IReadOnlyList<string> EffectiveConfigDirectories => P11KitConfigDirectories is { Length: > 0 } given ? given : Locating.P11KitModules.DefaultConfigDirectories;

    public string EffectiveModuleDirectory => P11KitModuleDirectory ?? Locating.P11KitModules.DefaultModuleDirectory;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BindingsFile is null && P11KitModule is null)
        {
            yield return new ValidationResult("Set BindingsFile (bench bindings), P11KitModule (e.g. opensc-pkcs11), or both.", [nameof(BindingsFile), nameof(P11KitModule)]);
        }

        if (BindingsFile is not null && LoadError(BindingsFile) is { } error)
        {
            yield return new ValidationResult(error, [nameof(BindingsFile)]);
        }

        if (P11KitModule is { } name)
        {
            var registry = Locating.P11KitModules.Read(EffectiveConfigDirectories, EffectiveModuleDirectory);
            if (registry.Find(name) is null)
            {
                yield return new ValidationResult(
                    $"P11KitModule: no p11-kit module named '{name}' in {string.Join(", ", EffectiveConfigDirectories)} (registered: {string.Join(", ", registry.Modules.Select(m => m.Name))})",
                    [nameof(P11KitModule)]);
            }
        }
    }

    private static string? LoadError(string path)
    {
        try
        {
            BenchBindingsFile.Load(path);
            return null;
        }
        catch (BenchBindingsException e)
        {
            return e.Message;
        }
    }
}

/// <summary>Source-generated validation of <see cref="LocatingOptions"/> (<see cref="LocatingOptions.Validate"/>).</summary>
[OptionsValidator]
internal sealed partial class LocatingOptionsValidator : IValidateOptions<LocatingOptions>;
