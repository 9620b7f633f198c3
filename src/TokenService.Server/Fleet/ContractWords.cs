using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Fleet;

/// <summary>
/// The contract's words the fleet summary compares documents by: reports are read as they were written (possibly by
/// another version), so the summary works on the kebab-case names, spelt once here from <see cref="ContractNames"/>.
/// </summary>
internal static class ContractWords
{
    public static readonly string Compatible = ContractNames.Of(Verdict.Compatible);
    public static readonly string Error = ContractNames.Of(Severity.Error);
    public static readonly string Warning = ContractNames.Of(Severity.Warning);
    public static readonly string CardSide = ContractNames.Of(RemedySide.Card);

    /// <summary>Every verdict the engine can give, by name.</summary>
    public static readonly IReadOnlySet<string> Verdicts = Enum.GetValues<Verdict>().Select(ContractNames.Of).ToHashSet(StringComparer.Ordinal);
}

/// <summary>A fix as a report names it: code, side and action, compared by value.</summary>
internal sealed record Fix(string Code, string Side, string Action);
