using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.ServerProbe;
using Xunit;

namespace TokenService.Tests.Hardware.ServerChecks;

/// <summary>`tokenservice probe-server` as a child process against real `openssl s_server` instances on 127.0.0.1.</summary>
[Collection(ServerProbeCollection.Name)]
public sealed class ProbeServerCommandTests(TestPki pki)
{
    private static readonly string[] Configured = ["rsa_pss_rsae_sha384", "ecdsa_secp256r1_sha256", "rsa_pkcs1_sha256"];

    [Fact]
    public async Task ProbeServer_Json_ReportsExactlyTheConfiguredClientSigalgsAndCaForBothVersions()
    {
        using var server = OpenSslServer.Start(
            pki, "-Verify", "1", "-client_sigalgs", "rsa_pss_rsae_sha384:ECDSA+SHA256:RSA+SHA256", "-CAfile", pki.CaA);

        var result = await ChildProcess.TokenServiceAsync(["probe-server", $"127.0.0.1:{server.Port}", "--format", "json", "--timeout", "5"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var report = JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.ServerProbeReport)!;
        Assert.Equal($"127.0.0.1:{server.Port}", report.Endpoint);
        foreach (var version in new[] { report.Tls13, report.Tls12 })
        {
            Assert.True(version.Accepted);
            Assert.True(version.RequestsCertificate);
            Assert.Null(version.Error);
            Assert.Equal(Configured, version.SignatureAlgorithms);
            Assert.Equal([pki.CaAName], version.CertificateAuthorities);
        }
    }

    [Fact]
    public async Task ProbeServer_Table_ListsEachVersionsSchemesInTheServersOrder()
    {
        using var server = OpenSslServer.Start(pki, "-Verify", "1", "-client_sigalgs", "rsa_pss_rsae_sha384:ECDSA+SHA256:RSA+SHA256", "-tls1_2");

        var result = await ChildProcess.TokenServiceAsync(["probe-server", $"127.0.0.1:{server.Port}"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("TLS 1.3: not accepted (server refused TLS 1.3: alert protocol_version(70))", lines);
        var tls12 = lines.IndexOf("TLS 1.2: accepted, requests a client certificate");
        Assert.True(tls12 > 0, result.Stdout);
        Assert.Equal(
            ["     1. rsa_pss_rsae_sha384", "     2. ecdsa_secp256r1_sha256", "     3. rsa_pkcs1_sha256"],
            lines.Skip(tls12 + 2).Take(3));
    }

    [Fact]
    public async Task ProbeServer_NothingListening_Exit69WithOneLine()
    {
        var port = OpenSslServer.FreeLoopbackPort();

        var result = await ChildProcess.TokenServiceAsync(["probe-server", $"127.0.0.1:{port}", "--timeout", "3"]);

        Assert.Equal(69, result.ExitCode);
        Assert.Equal($"tokenservice: no TLS 1.3 or TLS 1.2 server at 127.0.0.1:{port}: TLS 1.3: connection refused; TLS 1.2: connection refused", result.Stderr.Trim());
        Assert.Empty(result.Stdout.Trim());
    }

    /// <summary>Each way a usage error reaches the user; the HOST:PORT grammar itself is unit-tested (ServerEndpointTests).</summary>
    [Theory]
    [InlineData(new[] { "probe-server", "::1:443" }, "IPv6 address in brackets")]
    [InlineData(new[] { "probe-server", "127.0.0.1:443", "--timeout", "0" }, "--timeout")]
    [InlineData(new[] { "probe-server" }, "Required argument missing")]
    [InlineData(new[] { "check", "--server", "127.0.0.1:443", "--server-schemes", "rsa_pkcs1_sha256" }, "exclude each other")]
    [InlineData(new[] { "check", "--server", "no-port" }, "--server: expected HOST:PORT")]
    public async Task ServerOptions_BadInput_Exit64WithOneLineAndNoStackTrace(string[] args, string mentions)
    {
        var result = await ChildProcess.TokenServiceAsync(args);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains(mentions, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(result.Stdout.Trim());
    }
}
