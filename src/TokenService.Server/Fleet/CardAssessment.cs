using System.Collections.Immutable;

namespace TokenService.Fleet;

/// <summary>
/// What one card (a token entry of a check report) means for the fleet: its verdict and headline cause, the fixes
/// its report names, which of them alone would make it work, and whether only a card-side fix can.
/// </summary>
/// <param name="Identity">Manufacturer, model and serial number; null when the token reports no serial number.</param>
internal sealed record CardAssessment(
    string? Identity,
    string Manufacturer,
    string Model,
    string Label,
    string SerialNumber,
    string Verdict,
    string? Cause,
    ImmutableArray<Fix> FixesNamed,
    ImmutableArray<Fix> FixesThatMakeItWork,
    bool CardSideOnly)
{
    /// <summary>
    /// Assesses <paramref name="token"/>. Pure. A key works once every one of its blocking findings is fixed: its
    /// errors, plus the token's errors (a locked PIN blocks every key); a key with no error whose verdict is not
    /// `compatible` (TLS 1.2 only) is held back by its first warning (the headline cause `watch` and the page show;
    /// later warnings concern single clients or TLS 1.2). A fix alone makes the card work when it fixes all
    /// blocking findings of one key. A card is card-side only when every key has a blocking finding that no
    /// client-side or server-side fix in its report addresses.
    /// </summary>
    public static CardAssessment Of(CheckedToken token)
    {
        var works = token.Verdict == ContractWords.Compatible;
        var fixesNamed = ImmutableArray.CreateBuilder<Fix>();
        var makeItWork = ImmutableArray.CreateBuilder<Fix>();
        var cardSideOnly = !works;
        if (!works)
        {
            var tokenErrors = Codes(token.Problems, ContractWords.Error);
            var tokenFixes = token.Remediation;
            IEnumerable<(List<CheckedProblem> Problems, IEnumerable<CheckedRemediation> Fixes)> units = token.Keys.Count > 0
                ? token.Keys.Select(k => (k.Problems, k.Remediation.Concat(tokenFixes)))
                : [(token.Problems, tokenFixes)];
            foreach (var (problems, remediation) in units)
            {
                var fixes = remediation.Select(r => new Fix(r.Code, r.Side, r.Action)).Distinct().ToArray();
                foreach (var fix in fixes)
                {
                    if (!fixesNamed.Contains(fix))
                    {
                        fixesNamed.Add(fix);
                    }
                }

                var blocking = Codes(problems, ContractWords.Error).Union(tokenErrors).ToHashSet(StringComparer.Ordinal);
                if (blocking.Count == 0 && problems.FirstOrDefault(p => p.Severity == ContractWords.Warning) is { } headline)
                {
                    blocking = [headline.Code]; // the warning that limits the key: the engine puts it first
                }

                if (blocking.Count == 0)
                {
                    cardSideOnly = false; // the report names nothing in the way: no evidence that only a re-issue helps
                    continue;
                }

                foreach (var group in fixes.GroupBy(f => (f.Side, f.Action)))
                {
                    if (blocking.IsSubsetOf(group.Select(f => f.Code)) && !makeItWork.Contains(group.First()))
                    {
                        makeItWork.Add(group.First());
                    }
                }

                var elsewhere = fixes.Where(f => f.Side != ContractWords.CardSide).Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
                if (blocking.IsSubsetOf(elsewhere))
                {
                    cardSideOnly = false; // client and server fixes together can make this key work
                }
            }
        }

        var identity = token.SerialNumber.Length > 0 ? string.Join('\u001f', token.Manufacturer, token.Model, token.SerialNumber) : null;
        return new CardAssessment(
            identity, token.Manufacturer, token.Model, token.Label, token.SerialNumber, token.Verdict,
            works ? null : HeadlineCause(token), fixesNamed.ToImmutable(), makeItWork.ToImmutable(), cardSideOnly);
    }

    /// <summary>The first error, else warning, of the key that decides the token's verdict (of the token without keys), as `watch` and the page show it.</summary>
    private static string? HeadlineCause(CheckedToken token)
    {
        var key = token.Keys.FirstOrDefault(k => k.Verdict == token.Verdict) ?? token.Keys.FirstOrDefault();
        var problems = key?.Problems ?? token.Problems;
        return (problems.FirstOrDefault(p => p.Severity == ContractWords.Error) ?? problems.FirstOrDefault(p => p.Severity == ContractWords.Warning)
            ?? token.Problems.FirstOrDefault(p => p.Severity == ContractWords.Error))?.Code;
    }

    private static IEnumerable<string> Codes(List<CheckedProblem> problems, string severity) =>
        problems.Where(p => p.Severity == severity).Select(p => p.Code);
}
