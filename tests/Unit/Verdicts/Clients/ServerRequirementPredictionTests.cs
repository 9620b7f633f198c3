using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using Xunit;

namespace TokenService.Tests.Unit.Verdicts.Clients;

/// <summary>What each client stack does when the server refuses a version, asks for no certificate, or names other CAs.</summary>
public sealed class ServerRequirementPredictionTests
{
    /// <summary>Stacks that offer only certificates whose issuer the server names (modeled from their source).</summary>
    private static readonly string[] FilteringStacks = ["chrome-linux", "chrome-windows", "chrome-macos", "firefox", "java"];

    /// <summary>Stacks that send the configured certificate whatever the list says (measured here).</summary>
    private static readonly string[] SendingStacks = ["gnutls", "openssl-libp11"];

    /// <summary>TLS versions as text: the engine's enum is internal, a public test method cannot take it.</summary>
    public static TheoryData<string> Versions => ["1.3", "1.2"];

    [Fact]
    public void Predict_StockServer_EveryStackSucceedsWithTheScenarioKeyInBothVersions()
    {
        // The baseline the other tests change one thing of.
        foreach (var p in ServerScenario.Predict(ServerModel.StockOpenSsl3))
        {
            Assert.True(p.Tls13.Ok, $"{p.Stack.Name} TLS 1.3: {p.Tls13.Error}");
            Assert.True(p.Tls12.Ok, $"{p.Stack.Name} TLS 1.2: {p.Tls12.Error}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Predict_ServerDoesNotAcceptVersion_EveryStackFailsThatVersionOnlyWithVersionNotAccepted(string refusedVersion)
    {
        var refused = Version(refusedVersion);
        var server = refused == TlsVersion.Tls13
            ? ServerModel.StockOpenSsl3 with { AcceptsTls13 = false, Tls13Schemes = [] }
            : ServerModel.StockOpenSsl3 with { AcceptsTls12 = false, Tls12Schemes = [] };
        var other = refused == TlsVersion.Tls13 ? TlsVersion.Tls12 : TlsVersion.Tls13;

        var predictions = ServerScenario.Predict(server);

        Assert.Equal(ClientStacks.All.Count, predictions.Length);
        foreach (var p in predictions)
        {
            var failed = p.For(refused);
            Assert.False(failed.Ok);
            Assert.Equal(ClientCauses.VersionNotAccepted, failed.Cause);
            Assert.Equal($"server does not accept {refused.Label()}", failed.Error);
            Assert.Null(failed.Scheme);
            Assert.True(p.For(other).Ok, $"{p.Stack.Name} {other.Label()}: {p.For(other).Error}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Predict_ServerSendsNoCertificateRequest_EveryStackFailsThatVersionWithNoCertificateRequested(string tls)
    {
        var version = Version(tls);
        var server = version == TlsVersion.Tls13
            ? ServerModel.StockOpenSsl3 with { RequestsCertificateTls13 = false, Tls13Schemes = [] }
            : ServerModel.StockOpenSsl3 with { RequestsCertificateTls12 = false, Tls12Schemes = [] };

        foreach (var p in ServerScenario.Predict(server))
        {
            Assert.False(p.For(version).Ok);
            Assert.Equal(ClientCauses.NoCertificateRequested, p.For(version).Cause);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Predict_IssuerNotInCaList_FilteringStacksOfferNoCertificate(string tls)
    {
        var version = Version(tls);
        var server = ServerModel.StockOpenSsl3 with { CertificateAuthorities = ["CN=Other CA,O=Elsewhere"] };

        var predictions = ServerScenario.Predict(server).Where(p => FilteringStacks.Contains(p.Stack.Name)).ToList();

        Assert.Equal(FilteringStacks.Length, predictions.Count);
        foreach (var p in predictions)
        {
            var outcome = p.For(version);
            Assert.False(outcome.Ok);
            Assert.Equal(ClientCauses.IssuerNotAccepted, outcome.Cause);
            // Filtered before any scheme is chosen: nothing is signed.
            Assert.Null(outcome.Scheme);
            Assert.Contains("certificate_authorities do not name its issuer", outcome.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Predict_IssuerNotInCaList_OpenSslAndGnuTlsSignAndTheServerRejectsWithUnknownCa(string tls)
    {
        var version = Version(tls);
        var server = ServerModel.StockOpenSsl3 with { CertificateAuthorities = ["CN=Other CA,O=Elsewhere"] };

        var predictions = ServerScenario.Predict(server).Where(p => SendingStacks.Contains(p.Stack.Name)).ToList();

        Assert.Equal(SendingStacks.Length, predictions.Count);
        foreach (var p in predictions)
        {
            var outcome = p.For(version);
            Assert.False(outcome.Ok);
            Assert.Equal(ClientCauses.IssuerNotAccepted, outcome.Cause);
            Assert.Equal(SignatureSchemes.EcdsaP256Sha256, outcome.Scheme);
            Assert.Contains("unknown_ca", outcome.Error);
        }
    }

    [Theory]
    [InlineData("CN=TokenService demo CA,O=TokenService lab")]
    [InlineData("cn=TOKENSERVICE demo ca,  o=TokenService Lab")]
    [InlineData("2.5.4.3=TokenService demo CA,2.5.4.10=TokenService lab")]
    public void Predict_IssuerAmongTheNamedCasInAnotherSpelling_EveryStackSucceeds(string spelling)
    {
        var server = ServerModel.StockOpenSsl3 with { CertificateAuthorities = ["CN=Other CA,O=Elsewhere", spelling] };

        foreach (var p in ServerScenario.Predict(server))
        {
            Assert.True(p.Tls13.Ok, $"{p.Stack.Name} TLS 1.3: {p.Tls13.Error}");
            Assert.True(p.Tls12.Ok, $"{p.Stack.Name} TLS 1.2: {p.Tls12.Error}");
        }
    }

    [Fact]
    public void Predict_ServerNamesNoCa_NoIssuerCheck()
    {
        var token = ServerScenario.EcP256Token("CN=Some Issuer Nobody Names");

        foreach (var server in new[] { ServerModel.StockOpenSsl3 with { CertificateAuthorities = null }, ServerModel.StockOpenSsl3 with { CertificateAuthorities = [] } })
        {
            Assert.All(ServerScenario.Predict(server, token), p => Assert.True(p.Tls13.Ok && p.Tls12.Ok, p.Stack.Name));
        }
    }

    [Fact]
    public void Predict_VersionRefusedAndIssuerNotNamed_TheRefusedVersionReportsTheVersionFirst()
    {
        // The version is negotiated before any CertificateRequest, so that is the cause to act on first.
        var server = ServerModel.StockOpenSsl3 with { AcceptsTls13 = false, Tls13Schemes = [], CertificateAuthorities = ["CN=Other CA"] };

        foreach (var p in ServerScenario.Predict(server))
        {
            Assert.Equal(ClientCauses.VersionNotAccepted, p.Tls13.Cause);
            Assert.Equal(ClientCauses.IssuerNotAccepted, p.Tls12.Cause);
        }
    }

    private static TlsVersion Version(string text) => text == "1.3" ? TlsVersion.Tls13 : TlsVersion.Tls12;
}
