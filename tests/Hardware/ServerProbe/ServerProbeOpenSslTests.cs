using TokenService.ServerProbe;
using Xunit;
using Xunit.Abstractions;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>The probe against real `openssl s_server` instances, each configured to ask for something known.</summary>
[Collection(ServerProbeCollection.Name)]
public sealed class ServerProbeOpenSslTests(TestPki pki, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// `openssl s_server -Verify 1` without -sigalgs, OpenSSL 3.0 (measured with 3.0.19 on Debian 12, security level
    /// 2): TLS 1.3 CertificateRequest signature_algorithms.
    /// </summary>
    internal static readonly string[] StockTls13 =
    [
        "ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512", "ed25519", "ed448",
        "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512",
        "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
        "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512", "ecdsa_sha224", "rsa_pkcs1_sha224",
    ];

    /// <summary>The same server's TLS 1.2 CertificateRequest supported_signature_algorithms: the TLS 1.3 list plus DSA.</summary>
    internal static readonly string[] StockTls12 =
    [
        .. StockTls13, "dsa_sha224", "dsa_sha256_RESERVED", "dsa_sha384_RESERVED", "dsa_sha512_RESERVED",
    ];

    [Fact]
    public async Task ProbeAsync_StockServerWithVerify1_ReportsOpenSsl30DefaultListsForBothVersions()
    {
        Assert.StartsWith("OpenSSL 3.0.", pki.Version);
        using var server = OpenSslServer.Start(pki, "-Verify", "1");

        var result = await ProbeAsync(server);

        output.WriteLine($"{pki.Version} TLS 1.3: {string.Join(", ", result.Tls13.SignatureAlgorithms)}");
        output.WriteLine($"{pki.Version} TLS 1.2: {string.Join(", ", result.Tls12.SignatureAlgorithms)}");
        AssertRequest(result.Tls13, StockTls13, []);
        AssertRequest(result.Tls12, StockTls12, []);
    }

    [Fact]
    public async Task ProbeAsync_ClientSigalgsRsaSha256EcdsaSha256_ReportsExactlyThatListForBothVersions()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-client_sigalgs", "RSA+SHA256:ECDSA+SHA256");

        var result = await ProbeAsync(server);

        // OpenSSL 3.0 sends the configured list unfiltered in TLS 1.3 too, PKCS#1 included.
        AssertRequest(result.Tls13, ["rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256"], []);
        AssertRequest(result.Tls12, ["rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256"], []);
    }

    [Fact]
    public async Task ProbeAsync_ClientSigalgsInUnusualOrder_KeepsTheServersOrder()
    {
        using var server = OpenSslServer.Start(
            pki, "-Verify", "1", "-client_sigalgs", "ed25519:rsa_pss_rsae_sha384:ECDSA+SHA384:rsa_pkcs1_sha256");

        var result = await ProbeAsync(server);

        string[] expected = ["ed25519", "rsa_pss_rsae_sha384", "ecdsa_secp384r1_sha384", "rsa_pkcs1_sha256"];
        AssertRequest(result.Tls13, expected, []);
        AssertRequest(result.Tls12, expected, []);
    }

    [Fact]
    public async Task ProbeAsync_SigalgsWithoutClientSigalgs_RequestUsesTheSigalgsList()
    {
        // The server's certificate is P-256, so ecdsa_secp256r1_sha256 must stay in for its own signature.
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-sigalgs", "ECDSA+SHA256:rsa_pss_rsae_sha256:ed448");

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, ["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "ed448"], []);
        AssertRequest(result.Tls12, ["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "ed448"], []);
    }

    [Fact]
    public async Task ProbeAsync_CAfileWithTwoCas_ReportsBothNamesInFileOrderForBothVersions()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-CAfile", pki.BothCas);

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, StockTls13, [pki.CaAName, pki.CaBName]);
        AssertRequest(result.Tls12, StockTls12, [pki.CaAName, pki.CaBName]);
    }

    [Fact]
    public async Task ProbeAsync_CAfileWithOneCa_ReportsThatNameOnly()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-CAfile", pki.CaB);

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, StockTls13, [pki.CaBName]);
        AssertRequest(result.Tls12, StockTls12, [pki.CaBName]);
    }

    [Fact]
    public async Task ProbeAsync_CAfileWithNoCaNames_ReportsNoNames()
    {
        // OpenSSL 3.0 then sends an empty certificate_authorities extension in TLS 1.3, which RFC 8446 §4.2.4
        // forbids; the probe must still read the request.
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-CAfile", pki.BothCas, "-no_ca_names");

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, StockTls13, []);
        AssertRequest(result.Tls12, StockTls12, []);
    }

    [Fact]
    public async Task ProbeAsync_VerifyCAfileOnly_ReportsNoNames()
    {
        // -verifyCAfile sets the store that checks the client's chain; only -CAfile fills the client CA list.
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-verifyCAfile", pki.BothCas);

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, StockTls13, []);
        AssertRequest(result.Tls12, StockTls12, []);
    }

    [Fact]
    public async Task ProbeAsync_ServerLimitedToTls12_Tls13NotAcceptedTls12Requested()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-tls1_2");

        var result = await ProbeAsync(server);

        Assert.False(result.Tls13.Accepted);
        Assert.False(result.Tls13.RequestsCertificate);
        Assert.Empty(result.Tls13.SignatureAlgorithms);
        Assert.Equal("server refused TLS 1.3: alert protocol_version(70)", result.Tls13.Error);
        AssertRequest(result.Tls12, StockTls12, []);
    }

    [Fact]
    public async Task ProbeAsync_ServerLimitedToTls13_Tls12NotAcceptedTls13Requested()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-tls1_3");

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, StockTls13, []);
        Assert.False(result.Tls12.Accepted);
        Assert.False(result.Tls12.RequestsCertificate);
        Assert.Equal("server refused TLS 1.2: alert protocol_version(70)", result.Tls12.Error);
    }

    [Fact]
    public async Task ProbeAsync_ServerWithoutVerify_AcceptsBothVersionsAndRequestsNoCertificate()
    {
        using var server = OpenSslServer.Start(pki);

        var result = await ProbeAsync(server);

        foreach (var version in new[] { result.Tls13, result.Tls12 })
        {
            Assert.True(version.Accepted);
            Assert.False(version.RequestsCertificate);
            Assert.Null(version.Error);
            Assert.Empty(version.SignatureAlgorithms);
            Assert.Null(version.SignatureAlgorithmsCert);
            Assert.Empty(version.CertificateAuthorities);
        }
    }

    [Fact]
    public async Task ProbeAsync_OptionalVerify_ReportsTheRequestThoughTheHandshakeSucceedsWithoutACertificate()
    {
        // Lower-case -verify asks for a certificate but goes on without one.
        using var server = OpenSslServer.Start(pki, "-verify", "1", "-client_sigalgs", "ECDSA+SHA384");

        var result = await ProbeAsync(server);

        AssertRequest(result.Tls13, ["ecdsa_secp384r1_sha384"], []);
        AssertRequest(result.Tls12, ["ecdsa_secp384r1_sha384"], []);
    }

    [Fact]
    public async Task ProbeAsync_ByHostNameLocalhost_ReachesTheSameServer()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-client_sigalgs", "ECDSA+SHA256");

        // s_server listens on 127.0.0.1 only; "localhost" resolves to it (and maybe ::1 first, which is refused).
        var result = await Probe.ProbeAsync("localhost", server.Port, Timeout, CancellationToken.None);

        Assert.Equal($"localhost:{server.Port}", result.Endpoint);
        AssertRequest(result.Tls13, ["ecdsa_secp256r1_sha256"], []);
    }

    private async Task<ServerRequirements> ProbeAsync(OpenSslServer server)
    {
        var result = await Probe.ProbeAsync("127.0.0.1", server.Port, Timeout, CancellationToken.None);
        output.WriteLine(result.ToString());
        output.WriteLine(server.Output);
        Assert.Equal($"127.0.0.1:{server.Port}", result.Endpoint);
        return result;
    }

    private static void AssertRequest(VersionRequirements version, string[] signatureAlgorithms, string[] authorities)
    {
        Assert.Null(version.Error);
        Assert.True(version.Accepted);
        Assert.True(version.RequestsCertificate);
        Assert.Equal(signatureAlgorithms, version.SignatureAlgorithms);
        // OpenSSL 3.0 never sends signature_algorithms_cert in a CertificateRequest.
        Assert.Null(version.SignatureAlgorithmsCert);
        Assert.Equal(authorities, version.CertificateAuthorities);
    }
}
