using TokenService.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Tests.Unit.Verdicts.Clients;

/// <summary>Issue 8 §4: the headline answers for the target clients (`--clients`), every modeled stack by default.</summary>
public sealed class ClientTargetsTests
{
    /// <summary>
    /// Every profile-shaped card's headline under the default targets and under Chrome on Windows alone. The
    /// default speaks for the weakest client: a PKCS#1-only card leaves OpenSSL+libp11 with neither version
    /// (it follows the server's order to PSS in TLS 1.2 too), so it is client-dependent, while Chrome on
    /// Windows alone completes TLS 1.2 with it.
    /// </summary>
    [Theory]
    [InlineData(Cards.FullRsa, "compatible", "compatible")]
    [InlineData(Cards.Pkcs1Only, "client-dependent", "tls12-only")]
    [InlineData(Cards.RawPkcs1, "tls12-only", "compatible")]
    [InlineData(Cards.HashedPssOnly, "client-dependent", "tls12-only")]
    [InlineData(Cards.PssNoPkcs1, "compatible", "compatible")]
    [InlineData(Cards.HashedOnly, "incompatible", "incompatible")]
    [InlineData(Cards.AllowedPkcs1, "client-dependent", "tls12-only")]
    [InlineData(Cards.SignFalse, "incompatible", "incompatible")]
    [InlineData(Cards.Rsa1024, "incompatible", "incompatible")]
    [InlineData(Cards.AlwaysAuth, "compatible", "compatible")]
    [InlineData(Cards.UnlistedPss, "client-dependent", "tls12-only")]
    [InlineData(Cards.RsaPssCertificate, "client-dependent", "incompatible")]
    [InlineData(Cards.P256, "compatible", "compatible")]
    [InlineData(Cards.P384, "compatible", "compatible")]
    [InlineData(Cards.P521, "compatible", "compatible")]
    [InlineData(Cards.Secp256k1, "incompatible", "incompatible")]
    [InlineData(Cards.Brainpool, "incompatible", "incompatible")]
    [InlineData(Cards.EcHashedOnly, "incompatible", "incompatible")]
    [InlineData(Cards.Ed25519, "client-dependent", "incompatible")]
    [InlineData(Cards.Expired, "incompatible", "incompatible")]
    [InlineData(Cards.NotYetValid, "incompatible", "incompatible")]
    [InlineData(Cards.NoDigitalSignature, "incompatible", "incompatible")]
    [InlineData(Cards.ServerAuthOnly, "incompatible", "incompatible")]
    [InlineData(Cards.Mismatched, "incompatible", "incompatible")]
    [InlineData(Cards.NoCertificate, "incompatible", "incompatible")]
    [InlineData(Cards.EcNoPublicKey, "compatible", "compatible")]
    public void JudgeToken_Card_HeadlineForDefaultTargetsAndForChromeOnWindows(string card, string byDefault, string chromeWindows)
    {
        var windows = ClientTargets.TryParse(["chrome-windows"], out _)!;

        var all = VerdictEngine.JudgeToken(Cards.Get(card), ServerModel.StockOpenSsl3, Engine.Now);
        var one = VerdictEngine.JudgeToken(Cards.Get(card), ServerModel.StockOpenSsl3, Engine.Now, targets: windows);

        Assert.Equal((byDefault, chromeWindows), (ContractNames.Of(all.Verdict), ContractNames.Of(one.Verdict)));
        // The per-client predictions do not depend on the targets.
        Assert.Equal(all.Keys[0].Evaluation.Clients.Select(c => (c.Stack.Name, c.Tls13.Ok, c.Tls12.Ok)), one.Keys[0].Evaluation.Clients.Select(c => (c.Stack.Name, c.Tls13.Ok, c.Tls12.Ok)));
    }

    [Fact]
    public void Support_RawPkcs1Card_NamesWhichClientsWorkOnWhichVersion()
    {
        var token = ContractMapping.Token(VerdictEngine.JudgeToken(Cards.Get(Cards.RawPkcs1), ServerModel.StockOpenSsl3, Engine.Now));

        Assert.Equal(
            "TLS 1.3: Chrome (Windows, macOS), OpenSSL+libp11; TLS 1.2 only: Chrome (Linux), Firefox, GnuTLS, Java",
            ClientNames.Support(token.ClientSupport));
    }

    [Theory]
    [InlineData(new[] { "gnutls" }, "incompatible")]
    [InlineData(new[] { "gnutls", "java" }, "client-dependent")]
    [InlineData(new[] { "java", "firefox" }, "tls12-only")]
    [InlineData(new[] { "firefox" }, "compatible")]
    public void Headline_SupportShapes_TheFourVerdicts(string[] stacks, string expected)
    {
        // Here firefox completes TLS 1.3, java TLS 1.2 only, gnutls neither.
        const bool firefox13 = true;
        var targets = ClientTargets.TryParse(stacks, out _)!;
        var tls13 = targets.Stacks.Where(s => firefox13 && s.Name == "firefox").ToList();
        var tls12 = targets.Stacks.Where(s => s.Name == "java").ToList();
        var support = new ClientSupport([.. tls13], [.. tls12], [.. targets.Stacks.Except(tls13).Except(tls12)]);

        Assert.Equal(expected, ContractNames.Of(support.Headline));
    }

    [Theory]
    [InlineData("chrome-linux,chromium")]
    [InlineData("")]
    [InlineData(" , ")]
    public void TryParse_UnknownOrNoClient_ErrorNamingTheKnownOnes(string list)
    {
        Assert.Null(ClientTargets.TryParse(list.Split(','), out var error));
        Assert.Contains("openssl-libp11", error);
    }

    [Fact]
    public void TryParse_NamesInAnyOrder_TargetsInReportOrder() =>
        Assert.Equal(["chrome-linux", "java"], ClientTargets.TryParse(["java", "chrome-linux"], out _)!.Stacks.Select(s => s.Name));
}
