using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Tls;
using TokenService.ServerProbe;
using Xunit;
using Xunit.Abstractions;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>The probe against a BouncyCastle TLS server that sends what stock servers cannot be told to send.</summary>
[Collection(ServerProbeCollection.Name)]
public sealed class ServerProbeBouncyCastleServerTests(TestPki pki, ITestOutputHelper output)
{
    [Fact]
    public async Task ProbeAsync_SignatureAlgorithmsCertAndUnknownCodePoints_ReportedVerbatimInServerOrder()
    {
        var spec = new CertificateRequestSpec(
            SignatureAlgorithms: [0x0420, 0xFE01, 0x081A, 0x0804],
            SignatureAlgorithmsCert: [0x0401, 0x0503, 0x0B0B],
            CertificateAuthorities: [CaName(pki.CaB), CaName(pki.CaA)]);
        await using var server = new BouncyCastleTlsServer(pki, spec);

        var result = await Probe.ProbeAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(10), CancellationToken.None);
        output.WriteLine(result.ToString());

        AssertRequested(result.Tls13);
        Assert.Equal(
            ["rsa_pkcs1_sha256_legacy", "0xFE01", "ecdsa_brainpoolP256r1tls13_sha256", "rsa_pss_rsae_sha256"],
            result.Tls13.SignatureAlgorithms);
        Assert.Equal(["rsa_pkcs1_sha256", "ecdsa_secp384r1_sha384", "0x0B0B"], result.Tls13.SignatureAlgorithmsCert);
        Assert.Equal([pki.CaBName, pki.CaAName], result.Tls13.CertificateAuthorities);

        // TLS 1.2 has no signature_algorithms_cert; its supported_signature_algorithms carry any code point too.
        AssertRequested(result.Tls12);
        Assert.Equal(
            ["rsa_pkcs1_sha256_legacy", "0xFE01", "ecdsa_brainpoolP256r1tls13_sha256", "rsa_pss_rsae_sha256"],
            result.Tls12.SignatureAlgorithms);
        Assert.Null(result.Tls12.SignatureAlgorithmsCert);
        Assert.Equal([pki.CaBName, pki.CaAName], result.Tls12.CertificateAuthorities);
    }

    [Fact]
    public async Task ProbeAsync_NoSignatureAlgorithmsCert_ReportsNullNotEmpty()
    {
        var spec = new CertificateRequestSpec([0x0403], SignatureAlgorithmsCert: null, CertificateAuthorities: []);
        await using var server = new BouncyCastleTlsServer(pki, spec);

        var result = await Probe.ProbeAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(10), CancellationToken.None);

        AssertRequested(result.Tls13);
        Assert.Equal(["ecdsa_secp256r1_sha256"], result.Tls13.SignatureAlgorithms);
        Assert.Null(result.Tls13.SignatureAlgorithmsCert);
        Assert.Empty(result.Tls13.CertificateAuthorities);
    }

    [Fact]
    public async Task ProbeAsync_ServerSpeaksOnlyTls11_NeitherAcceptedAndTls12AnsweredWithAnOlderServerHello()
    {
        // The TLS 1.3 ClientHello gets an alert (no common supported_versions); the TLS 1.2 one a TLS 1.1
        // ServerHello, which the probe refuses itself.
        var spec = new CertificateRequestSpec([0x0403], SignatureAlgorithmsCert: null, CertificateAuthorities: []);
        await using var server = new BouncyCastleTlsServer(pki, spec, ProtocolVersion.TLSv11.Only());

        var result = await Probe.ProbeAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(10), CancellationToken.None);
        output.WriteLine(result.ToString());

        Assert.False(result.Tls13.Accepted);
        Assert.False(result.Tls13.RequestsCertificate);
        Assert.Equal("server refused TLS 1.3: alert protocol_version(70)", result.Tls13.Error);
        Assert.False(result.Tls12.Accepted);
        Assert.False(result.Tls12.RequestsCertificate);
        Assert.Equal("server did not negotiate TLS 1.2", result.Tls12.Error);
    }

    private static X509Name CaName(string pemPath) =>
        X509Name.GetInstance(System.Security.Cryptography.X509Certificates.X509CertificateLoader
            .LoadCertificateFromFile(pemPath).SubjectName.RawData);

    private static void AssertRequested(VersionRequirements version)
    {
        Assert.Null(version.Error);
        Assert.True(version.Accepted);
        Assert.True(version.RequestsCertificate);
    }
}
