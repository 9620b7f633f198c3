using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class ServerModelTests
{
    [Fact]
    public void Given_SchemeList_SameListForBothVersionsOtherwiseStock()
    {
        var server = Servers.Get(Servers.Legacy);

        Assert.Equal("given", server.Source);
        Assert.Equal(server.Tls13Schemes, server.Tls12Schemes);
        Assert.Equal(ServerModel.StockOpenSsl3.MinRsaBits, server.MinRsaBits);
        Assert.True(server.Offers(SignatureSchemes.RsaPkcs1Sha256Legacy, TlsVersion.Tls13));
        Assert.False(ServerModel.StockOpenSsl3.Offers(SignatureSchemes.RsaPkcs1Sha256Legacy, TlsVersion.Tls13));
    }

    [Fact]
    public void StockOpenSsl3_Tls13List_HasNoSha1AndNoLegacy()
    {
        // The probed list also holds the SHA-224 pairs (0x0303, 0x0301), which the engine's catalog does not
        // evaluate: no TLS 1.3 CertificateVerify can use them (RFC 8446 §4.2.3).
        var names = ServerModel.StockOpenSsl3.Tls13Schemes.Select(TokenService.Tls.SignatureSchemeNames.NameOf).ToList();
        Assert.Equal(["ecdsa_sha224", "rsa_pkcs1_sha224"], names.TakeLast(2));
        var schemes = ServerModel.StockOpenSsl3.Tls13Schemes.Select(c => SignatureSchemes.TryGet(c, out var s) ? s : null).OfType<SignatureScheme>().ToList();

        Assert.Equal(14, schemes.Count);
        Assert.DoesNotContain(schemes, s => s.Hash == HashAlgorithmKind.Sha1 || s.Family == SchemeFamily.RsaPkcs1Legacy);
        // PSS before PKCS#1, as OpenSSL's ssl/t1_lib.c default list orders them: what makes OpenSSL clients pick PSS.
        Assert.True(ServerModel.StockOpenSsl3.Tls12Schemes.IndexOf(0x0804) < ServerModel.StockOpenSsl3.Tls12Schemes.IndexOf(0x0401));
    }
}
