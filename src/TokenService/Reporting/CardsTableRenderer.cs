using TokenService.Contracts;

namespace TokenService.Reporting;

/// <summary>The person's view of `identify` and `cards`: names, families, and per key the verdict and each client's outcome.</summary>
internal sealed class CardsTableRenderer(TextWriter output)
{
    public void Render(CardIdentityReport report)
    {
        output.WriteLine($"ATR {report.Atr}");
        if (report.Warning is { } warning)
        {
            output.WriteLine($"warning: {warning}");
        }

        output.WriteLine(report.Names.Count == 0 ? "Names: none in pcsc-tools' list" : "Names (pcsc-tools' list):");
        foreach (var name in report.Names)
        {
            output.WriteLine($"  {name}");
        }

        if (report.Families.Count == 0)
        {
            output.WriteLine("Families: none in the catalog (./tokenservice cards lists them)");
        }

        foreach (var family in report.Families)
        {
            output.WriteLine();
            output.WriteLine($"{family.Id}: {family.Name}");
            output.WriteLine($"  middleware: {family.Middleware}");
            Keys(family.Keys);
        }
    }

    public void Render(CardCatalogReport report)
    {
        foreach (var family in report.Families)
        {
            output.WriteLine($"{family.Id}: {family.Name}");
            output.WriteLine($"  middleware: {family.Middleware}");
            var signing = family.Mechanisms.Where(m => m.Flags.Contains("sign")).Select(m => m.Flags.Contains("hw") ? m.Name : m.Name + " (no hw flag)");
            output.WriteLine($"  signing mechanisms{(family.MechanismsInferred ? " (inferred)" : "")}: {string.Join(", ", signing)}");
            output.WriteLine($"  ATR patterns: {family.AtrPatterns.Count}");
            Keys(family.Keys);
            output.WriteLine();
        }

        output.WriteLine($"{report.Families.Count} families; ./tokenservice cards --format json gives every fact with its source.");
    }

    private void Keys(IReadOnlyList<CardFamilyKeyEntry> keys)
    {
        foreach (var key in keys)
        {
            var size = key.Bits is { } bits ? $"{bits}" : key.Curve;
            var expected = key.Verdict == key.ExpectedVerdict ? "" : $" (field behaviour says {key.ExpectedVerdict.ToUpperInvariant()})";
            output.WriteLine($"  {key.KeyType} {size}: {key.Verdict.ToUpperInvariant()}{expected}{(key.Inferred ? " [inferred]" : "")}");
            foreach (var client in key.Clients)
            {
                output.WriteLine($"    {client.Stack,-15} TLS 1.3 {Outcome(client.Tls13),-40} TLS 1.2 {Outcome(client.Tls12)}");
            }
        }
    }

    private static string Outcome(ClientOutcomeEntry outcome) =>
        outcome.Outcome == "ok" ? $"ok {outcome.Scheme}" : $"fail {outcome.Error ?? outcome.Cause}";
}
