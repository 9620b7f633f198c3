using TokenService.Contracts;
using TokenService.Text;

namespace TokenService.SmartCards;

/// <summary>
/// The person's view of `identify` and `cards`: names, families, and per key the verdict and each client's outcome.
/// The names come from pcsc-tools' list, a file from outside: written through <see cref="StyledText"/>, escaped.
/// </summary>
internal sealed class CardsTableRenderer(TextWriter output)
{
    public void Render(CardIdentityReport report)
    {
        var text = new StyledText(color: false);
        Render(text, report);
        output.Write(text.ToString());
    }

    public void Render(CardCatalogReport report)
    {
        var text = new StyledText(color: false);
        Render(text, report);
        output.Write(text.ToString());
    }

    private static void Render(StyledText output, CardIdentityReport report)
    {
        output.Line($"ATR {report.Atr}");
        if (report.Warning is { } warning)
        {
            output.Line($"warning: {warning}");
        }

        output.Line(report.Names.Count == 0 ? "Names: none in pcsc-tools' list" : "Names (pcsc-tools' list):");
        foreach (var name in report.Names)
        {
            output.Line($"  {name}");
        }

        if (report.Families.Count == 0)
        {
            output.Line("Families: none in the catalog (./tokenservice cards lists them)");
        }

        foreach (var family in report.Families)
        {
            output.Line();
            output.Line($"{family.Id}: {family.Name}");
            output.Line($"  middleware: {family.Middleware}");
            Keys(output, family.Keys);
        }
    }

    private static void Render(StyledText output, CardCatalogReport report)
    {
        foreach (var family in report.Families)
        {
            output.Line($"{family.Id}: {family.Name}");
            output.Line($"  middleware: {family.Middleware}");
            var signing = family.Mechanisms.Where(m => m.Flags.Contains("sign")).Select(m => m.Flags.Contains("hw") ? m.Name : m.Name + " (no hw flag)");
            output.Line($"  signing mechanisms{(family.MechanismsInferred ? " (inferred)" : "")}: {string.Join(", ", signing)}");
            output.Line($"  ATR patterns: {family.AtrPatterns.Count}");
            Keys(output, family.Keys);
            output.Line();
        }

        output.Line($"{report.Families.Count} families; ./tokenservice cards --format json gives every fact with its source.");
    }

    private static void Keys(StyledText output, IReadOnlyList<CardFamilyKeyEntry> keys)
    {
        foreach (var key in keys)
        {
            var size = key.Bits is { } bits ? $"{bits}" : key.Curve;
            var expected = key.Verdict == key.ExpectedVerdict ? "" : $" (field behaviour says {key.ExpectedVerdict.ToUpperInvariant()})";
            output.Line($"  {key.KeyType} {size}: {key.Verdict.ToUpperInvariant()}{expected}{(key.Inferred ? " [inferred]" : "")}");
            foreach (var client in key.Clients)
            {
                output.Line($"    {client.Stack,-15} TLS 1.3 {Outcome(client.Tls13),-40} TLS 1.2 {Outcome(client.Tls12)}");
            }
        }
    }

    private static string Outcome(ClientOutcomeEntry outcome) =>
        outcome.Outcome == "ok" ? $"ok {outcome.Scheme}" : $"fail {outcome.Error ?? outcome.Cause}";
}
