using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TokenService.ServerProbe;
using Xunit;
using Xunit.Abstractions;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>
/// The probe against a .NET SslStream server. On Linux the CA names come from the trust the server is given
/// (SslCertificateTrust with sendTrustInHandshake); the signature lists are OpenSSL's and not configurable from
/// .NET, so those tests assert only what the options control.
/// </summary>
[Collection(ServerProbeCollection.Name)]
public sealed class ServerProbeSslStreamTests(TestPki pki, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ProbeAsync_ClientCertificateRequiredWithTrustSentInHandshake_ReportsTheTrustedCaNames()
    {
        using var certificate = pki.LoadServerCertificateWithKey();
        using var caA = X509CertificateLoader.LoadCertificateFromFile(pki.CaA);
        using var caB = X509CertificateLoader.LoadCertificateFromFile(pki.CaB);
        var trust = SslCertificateTrust.CreateForX509Collection([caA, caB], sendTrustInHandshake: true);
        await using var server = new DotNetTlsServer(Options(certificate, trust, clientCertificateRequired: true));

        var result = await ProbeAsync(server);

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            AssertRequested(version);
            Assert.Equal([pki.CaAName, pki.CaBName], version.CertificateAuthorities);
        }
    }

    [Fact]
    public async Task ProbeAsync_ClientCertificateRequiredWithTrustNotSent_ReportsNoCaNames()
    {
        using var certificate = pki.LoadServerCertificateWithKey();
        using var caA = X509CertificateLoader.LoadCertificateFromFile(pki.CaA);
        var trust = SslCertificateTrust.CreateForX509Collection([caA], sendTrustInHandshake: false);
        await using var server = new DotNetTlsServer(Options(certificate, trust, clientCertificateRequired: true));

        var result = await ProbeAsync(server);

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            AssertRequested(version);
            Assert.Empty(version.CertificateAuthorities);
        }
    }

    [Fact]
    public async Task ProbeAsync_ClientCertificateNotRequired_RequestsNoCertificate()
    {
        using var certificate = pki.LoadServerCertificateWithKey();
        await using var server = new DotNetTlsServer(Options(certificate, trust: null, clientCertificateRequired: false));

        var result = await ProbeAsync(server);

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            Assert.True(version.Accepted);
            Assert.False(version.RequestsCertificate);
            Assert.Null(version.Error);
            Assert.Empty(version.SignatureAlgorithms);
        }
    }

    [Fact]
    public async Task ProbeAsync_ServerLimitedToTls12_Tls13NotAcceptedTls12Requested()
    {
        using var certificate = pki.LoadServerCertificateWithKey();
        var options = Options(certificate, trust: null, clientCertificateRequired: true);
        options.EnabledSslProtocols = SslProtocols.Tls12;
        await using var server = new DotNetTlsServer(options);

        var result = await ProbeAsync(server);

        Assert.False(result.Tls13.Accepted);
        Assert.False(result.Tls13.RequestsCertificate);
        Assert.StartsWith("server refused TLS 1.3: alert ", result.Tls13.Error);
        AssertRequested(result.Tls12);
    }

    private static SslServerAuthenticationOptions Options(
        X509Certificate2 certificate, SslCertificateTrust? trust, bool clientCertificateRequired) => new()
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true, trust),
            ClientCertificateRequired = clientCertificateRequired,
            // The probe sends no certificate: a server that requires one refuses the connection afterwards.
            RemoteCertificateValidationCallback = (_, _, _, _) => !clientCertificateRequired,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };

    private async Task<ServerRequirements> ProbeAsync(DotNetTlsServer server)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await Probe.ProbeAsync("127.0.0.1", server.Port, Timeout, CancellationToken.None);
        output.WriteLine($"probe took {stopwatch.Elapsed}");
        output.WriteLine($"TLS 1.3: {result.Tls13} [{string.Join(", ", result.Tls13.SignatureAlgorithms)}] [{string.Join(" | ", result.Tls13.CertificateAuthorities)}]");
        output.WriteLine($"TLS 1.2: {result.Tls12} [{string.Join(", ", result.Tls12.SignatureAlgorithms)}] [{string.Join(" | ", result.Tls12.CertificateAuthorities)}]");
        output.WriteLine(server.Outcomes);
        return result;
    }

    private static void AssertRequested(VersionRequirements version)
    {
        Assert.Null(version.Error);
        Assert.True(version.Accepted);
        Assert.True(version.RequestsCertificate);
        Assert.NotEmpty(version.SignatureAlgorithms);
    }
}
