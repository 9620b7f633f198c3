using System.Text.RegularExpressions;
using TokenService.Verdicts.Findings;

namespace TokenService.Tests.Unit.Verdicts.Findings;

public sealed partial class RemediesTests
{
    /// <summary>The problems that block or limit a key or token: each must come with a fix (docs/tls-client-auth.md §5).</summary>
    public static TheoryData<string> ErrorAndWarningCodes =>
        [.. FindingScenarios.ByCode.Where(s => s.Value.Severity is "error" or "warning").Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(ErrorAndWarningCodes))]
    public void For_ErrorOrWarningCode_GivesAtLeastOneRemedyForThatCode(string code)
    {
        var remedies = Remedies.For(code);

        Assert.NotEmpty(remedies);
        Assert.All(remedies, r =>
        {
            Assert.Equal(code, r.Code);
            Assert.True(Enum.IsDefined(r.Side), $"side {r.Side}");
            Assert.False(string.IsNullOrWhiteSpace(r.Action));
        });
    }

    /// <summary>docs/tls-client-auth.md §5: rebooting, resetting the browser or forcing TLS 1.1 fixes none of the causes.</summary>
    [Fact]
    public void For_EveryProblemCode_NeverGivesGenericAdvice()
    {
        var actions = SchemeRulesTests.Constants(typeof(ProblemCodes)).SelectMany(Remedies.For).Select(r => r.Action).ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.DoesNotMatch(GenericAdvice(), a));
    }

    [Fact]
    public void For_ProblemsSharingACode_GivesEachRemedyOnce()
    {
        Problem[] problems = [new("no-pss-route", Severity.Warning, "a"), new("no-pss-route", Severity.Warning, "b"), new("pin-per-signature", Severity.Warning, "c")];

        var remedies = Remedies.For(problems);

        Assert.Equal(remedies.Count, remedies.DistinctBy(r => (r.Code, r.Side)).Count());
        Assert.Equal(Remedies.For("no-pss-route").Count + Remedies.For("pin-per-signature").Count, remedies.Count);
    }

    [Fact]
    public void For_UnknownCode_GivesNothing() => Assert.Empty(Remedies.For("no-such-code"));

    [GeneratedRegex(@"reboot|restart|reset|TLS\s*1\.1", RegexOptions.IgnoreCase)]
    private static partial Regex GenericAdvice();
}
