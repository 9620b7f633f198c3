using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Tests.Unit.Reporting;

/// <summary>The engine's enums spelt once for contract v1: every member named, distinct, read back to itself.</summary>
public sealed class ContractNamesTests
{
    [Fact]
    public void Of_EveryVerdict_DistinctKebabNameThatParsesBack()
    {
        var names = Enum.GetValues<Verdict>().Select(ContractNames.Of).ToList();

        Assert.Equal(["compatible", "tls12-only", "client-dependent", "no-visible-key", "incompatible"], names);
        Assert.All(Enum.GetValues<Verdict>(), v => Assert.True(ContractNames.TryParseVerdict(ContractNames.Of(v), out var back) && back == v));
    }

    [Fact]
    public void Of_EverySeverityAndSide_ContractNames()
    {
        Assert.Equal(["error", "warning", "info"], Enum.GetValues<Severity>().Select(ContractNames.Of));
        Assert.Equal(["card", "client", "server"], Enum.GetValues<RemedySide>().Select(ContractNames.Of));
        Assert.All(Enum.GetValues<Severity>(), s => Assert.True(ContractNames.TryParseSeverity(ContractNames.Of(s), out var back) && back == s));
        Assert.All(Enum.GetValues<RemedySide>(), s => Assert.True(ContractNames.TryParseSide(ContractNames.Of(s), out var back) && back == s));
    }

    [Theory]
    [InlineData("Compatible")]
    [InlineData("incompatable")]
    [InlineData("tls12only")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseVerdict_NotAContractName_Refused(string? name) =>
        Assert.False(ContractNames.TryParseVerdict(name, out _));

    [Fact]
    public void VerdictOrder_BestAndWorst_FollowTheRankAndAreIncompatibleWhenEmpty()
    {
        Verdict[] mixed = [Verdict.Tls12Only, Verdict.Compatible, Verdict.Incompatible];

        Assert.Equal((Verdict.Compatible, Verdict.Incompatible), (VerdictOrder.Best(mixed), VerdictOrder.Worst(mixed)));
        Assert.Equal((Verdict.Incompatible, Verdict.Incompatible), (VerdictOrder.Best([]), VerdictOrder.Worst([])));
    }
}
