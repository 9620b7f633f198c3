using TokenService.Contracts;
using TokenService.Handshake;
using Xunit;

namespace TokenService.Tests.Unit.Handshake;

public sealed class HandshakeComparisonTests
{
    private static ClientOutcomeEntry Predicted(string outcome, string? scheme) => new() { Outcome = outcome, Scheme = scheme };

    [Fact]
    public void Agrees_OkWithTheSameScheme_Agrees() =>
        Assert.True(HandshakeComparison.Agrees(HandshakeOutcome.Accepted(0x0804, HandshakeEvidence.ServerFinished), Predicted("ok", "rsa_pss_rsae_sha256")));

    [Fact]
    public void Agrees_OkWithAnotherScheme_Disagrees() =>
        Assert.False(HandshakeComparison.Agrees(HandshakeOutcome.Accepted(0x0401, HandshakeEvidence.ServerFinished), Predicted("ok", "rsa_pss_rsae_sha256")));

    [Fact]
    public void Agrees_OkWithUnseenScheme_AgreesOnTheOutcome() =>
        Assert.True(HandshakeComparison.Agrees(HandshakeOutcome.Accepted(null, HandshakeEvidence.PostHandshakeRecord), Predicted("ok", "rsa_pss_rsae_sha256")));

    [Fact]
    public void Agrees_FailedWherePredictedOk_Disagrees() =>
        Assert.False(HandshakeComparison.Agrees(HandshakeOutcome.Failed("x", "signing-refused", HandshakeEvidence.ClientError), Predicted("ok", "rsa_pss_rsae_sha256")));

    [Fact]
    public void Agrees_OkWherePredictedFail_Disagrees() =>
        Assert.False(HandshakeComparison.Agrees(HandshakeOutcome.Accepted(null, HandshakeEvidence.NoAlert), Predicted("fail", null)));

    [Fact]
    public void Agrees_BothFailedWithSchemeSeenAndPredicted_ComparesTheScheme()
    {
        var real = HandshakeOutcome.Failed("x", "server-rejected-certificate", HandshakeEvidence.ServerAlert, 0x0804);

        Assert.True(HandshakeComparison.Agrees(real, Predicted("fail", "rsa_pss_rsae_sha256")));
        Assert.False(HandshakeComparison.Agrees(real, Predicted("fail", "rsa_pkcs1_sha256")));
    }
}
