using TokenService.Text;

namespace TokenService.Tests.Unit.Architecture;

/// <summary>
/// Text/ is the terminal toolkit (escaping, inks, styled text) that the renderers build on: it knows no report, no
/// verdict and no contract word, so Reporting and the watch screen depend on it and never the other way round.
/// </summary>
public sealed class TextToolkitTests
{
    [Fact]
    public void TextNamespace_CompiledCode_ReferencesNoOtherNamespaceOfOurs()
    {
        var toolkit = typeof(TerminalEscaper).Assembly.GetTypes().Where(t => t.Namespace == "TokenService.Text").ToList();
        Assert.True(toolkit.Count >= 3, $"expected the toolkit's types, found {toolkit.Count}");

        var outside = toolkit.SelectMany(OursOutsideText).Distinct().Order().ToList();

        Assert.True(outside.Count == 0, "Text/ must not depend on the rest of the project:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void OursOutsideText_TypeUsingReportingAndVerdicts_AreFound()
    {
        var found = OursOutsideText(typeof(Dependent)).ToList();

        Assert.Contains(found, f => f.EndsWith("TokenService.Reporting.ContractNames", StringComparison.Ordinal));
        Assert.Contains(found, f => f.EndsWith("TokenService.Verdicts.Verdict", StringComparison.Ordinal));
    }

    private static IEnumerable<string> OursOutsideText(Type type) =>
        CompiledReferences.Of(type)
            .SelectMany(r => CompiledReferences.Constituents(r.Member?.DeclaringType ?? r.Type))
            .Where(t => t.Namespace is { } ns && ns.StartsWith("TokenService.", StringComparison.Ordinal)
                && ns != "TokenService.Text" && !ns.StartsWith("TokenService.Tests.", StringComparison.Ordinal))
            .Select(t => $"{type.FullName}: references {t.FullName}");

    /// <summary>What Text/ must never do, compiled, for the scanner's own test.</summary>
    private static class Dependent
    {
        public static string Name(string verdict) =>
            TokenService.Reporting.ContractNames.TryParseVerdict(verdict, out var known) && known == TokenService.Verdicts.Verdict.Compatible ? "ok" : "?";
    }
}
