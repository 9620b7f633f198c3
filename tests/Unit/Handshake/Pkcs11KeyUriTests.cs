using TokenService.Handshake;
using Xunit;

namespace TokenService.Tests.Unit.Handshake;

public sealed class Pkcs11KeyUriTests
{
    [Fact]
    public void PrivateKey_LabelsAndId_BuildsRfc7512UriWithoutPin()
    {
        var uri = Pkcs11KeyUri.PrivateKey("rsa2048-full  ", "auth", [0x01, 0xAB]);

        Assert.Equal("pkcs11:token=rsa2048-full;object=auth;id=%01%AB;type=private", uri);
    }

    [Fact]
    public void PrivateKey_ReservedAndNonAsciiCharacters_ArePercentEncoded()
    {
        var uri = Pkcs11KeyUri.PrivateKey("PIV Card;x=y", "Clé 9A", []);

        Assert.Equal("pkcs11:token=PIV%20Card%3Bx%3Dy;object=Cl%C3%A9%209A;type=private", uri);
    }

    [Fact]
    public void PrivateKey_NoObjectLabel_LeavesObjectOut()
    {
        Assert.Equal("pkcs11:token=t;id=%02;type=private", Pkcs11KeyUri.PrivateKey("t", null, [0x02]));
    }
}
