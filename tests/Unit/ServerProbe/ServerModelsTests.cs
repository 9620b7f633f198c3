using TokenService.ServerProbe;
using TokenService.Verdicts;
using Xunit;

namespace TokenService.Tests.Unit.ServerProbe;

public sealed class ServerModelsTests
{
    private static readonly VersionRequirements Requested = new()
    {
        Accepted = true,
        RequestsCertificate = true,
        SignatureAlgorithms = ["rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256", "dsa_sha256_RESERVED", "0xFE01"],
        CertificateAuthorities = ["CN=TokenService demo CA,O=TokenService lab"],
    };

    [Fact]
    public void ToServerModel_BothVersionsRequest_CodePointsInTheServersOrderAndItsCaNames()
    {
        var model = new ServerRequirements("127.0.0.1:4433", Requested, Requested with { SignatureAlgorithms = ["rsa_pss_rsae_sha256"] }).ToServerModel();

        Assert.Equal(ServerModel.ProbedSource, model.Source);
        Assert.Equal("127.0.0.1:4433", model.Endpoint);
        Assert.Equal(new ushort[] { 0x0401, 0x0403, 0x0402, 0xFE01 }, model.Tls13Schemes.ToArray());
        Assert.Equal(new ushort[] { 0x0804 }, model.Tls12Schemes.ToArray());
        Assert.True(model.AcceptsTls13 && model.AcceptsTls12 && model.RequestsCertificateTls13 && model.RequestsCertificateTls12);
        Assert.Equal(["CN=TokenService demo CA,O=TokenService lab"], model.CertificateAuthorities!.Value.ToArray());
        // What the probe cannot see stays as the stock OpenSSL 3 server has it.
        Assert.Equal(ServerModel.StockOpenSsl3.MinRsaBits, model.MinRsaBits);
    }

    [Fact]
    public void ToServerModel_Tls13Refused_NotAcceptedWithAnEmptyList()
    {
        var refused = new VersionRequirements { Error = "server refused TLS 1.3: alert protocol_version(70)" };

        var model = new ServerRequirements("h:1", refused, Requested).ToServerModel();

        Assert.False(model.AcceptsTls13);
        Assert.False(model.RequestsCertificateTls13);
        Assert.Empty(model.Tls13Schemes);
        Assert.True(model.AcceptsTls12);
    }

    [Fact]
    public void ToServerModel_VersionNegotiatedThenBrokenOffBeforeAnyRequest_CountsAsNotAccepted()
    {
        var broken = new VersionRequirements { Accepted = true, Error = "server ended the TLS 1.2 handshake before any CertificateRequest: alert handshake_failure(40)" };

        var model = new ServerRequirements("h:1", Requested, broken).ToServerModel();

        Assert.False(model.AcceptsTls12);
        Assert.False(model.RequestsCertificateTls12);
    }

    [Fact]
    public void ToServerModel_AcceptedWithoutCertificateRequest_AcceptsButRequestsNone()
    {
        var plain = new VersionRequirements { Accepted = true, RequestsCertificate = false };

        var model = new ServerRequirements("h:1", plain, plain).ToServerModel();

        Assert.True(model.AcceptsTls13);
        Assert.False(model.RequestsCertificateTls13);
        Assert.False(model.RequestsCertificateTls12);
        Assert.Null(model.CertificateAuthorities);
    }

    [Fact]
    public void ToServerModel_CaNamesDifferPerVersion_TheUnionInTheServersOrder()
    {
        var tls12 = Requested with { CertificateAuthorities = ["CN=Other CA", "CN=TokenService demo CA,O=TokenService lab"] };

        var model = new ServerRequirements("h:1", Requested, tls12).ToServerModel();

        Assert.Equal(["CN=TokenService demo CA,O=TokenService lab", "CN=Other CA"], model.CertificateAuthorities!.Value.ToArray());
    }
}
