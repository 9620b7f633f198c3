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
        var schemes = ServerModel.StockOpenSsl3.Tls13Schemes.Select(c => SignatureSchemes.TryGet(c, out var s) ? s : null).ToList();

        Assert.All(schemes, s => Assert.NotNull(s));
        Assert.DoesNotContain(schemes, s => s!.Hash == HashAlgorithmKind.Sha1 || s.Family == SchemeFamily.RsaPkcs1Legacy);
        // PSS before PKCS#1, as OpenSSL's ssl/t1_lib.c default list orders them: what makes OpenSSL clients pick PSS.
        Assert.True(ServerModel.StockOpenSsl3.Tls12Schemes.IndexOf(0x0804) < ServerModel.StockOpenSsl3.Tls12Schemes.IndexOf(0x0401));
    }
}
