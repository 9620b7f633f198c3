using System.Security.Cryptography;
using TokenService.Certificates;
using TokenService.Tests.Unit.TestData;

namespace TokenService.Tests.Unit.Certificates;

public sealed class KeyMaterialTests
{
    /// <summary>A real P-256 point whose X starts with 0x3F: bare, its bytes also read as a DER OCTET STRING of 63 bytes.</summary>
    internal const string AmbiguousP256Point =
        "043fdc580d8b430200f13d0d1acc156930001839f232fe2f22169060b8cfe84ee0a3a663efa43d98ba5e6410eb5d2fb7e48c7dbcf36bdd3532548ea862bbdf0a7c";

    [Theory]
    [InlineData("", 0)]
    [InlineData("00", 0)]
    [InlineData("0000", 0)]
    [InlineData("01", 1)]
    [InlineData("7f", 7)]
    [InlineData("80", 8)]
    [InlineData("ff", 8)]
    [InlineData("0100", 9)]
    [InlineData("00ff", 8)]
    [InlineData("000180", 9)]
    public void BitLength_BigEndianValue_CountsFromTheHighestSetBit(string hex, int bits) =>
        Assert.Equal(bits, KeyMaterial.BitLength(Convert.FromHexString(hex)));

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    public void BitLength_RsaModulus_IsTheKeySize(int size)
    {
        var modulus = (size == 1024 ? TestKeys.Rsa1024 : TestKeys.Rsa2048).Modulus;

        Assert.Equal(size, KeyMaterial.BitLength(modulus.AsSpan()));
        // CKA_MODULUS may come with a sign byte from some modules.
        Assert.Equal(size, KeyMaterial.BitLength([0x00, .. modulus]));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("00", "00")]
    [InlineData("000001", "01")]
    [InlineData("010000", "010000")]
    public void TrimLeadingZeros_Value_KeepsOneByteAtLeast(string hex, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(KeyMaterial.TrimLeadingZeros(Convert.FromHexString(hex)).AsSpan()));

    public static TheoryData<string> RealPoints => [TestKeys.P256.Name, TestKeys.P384.Name, TestKeys.P521.Name];

    [Theory]
    [MemberData(nameof(RealPoints))]
    public void UnwrapEcPoint_DerOctetString_GivesTheBarePoint(string name)
    {
        var key = Key(name);

        var point = KeyMaterial.UnwrapEcPoint(key.WrappedPoint.AsSpan());

        Assert.Equal<byte>(key.BarePoint, point);
    }

    [Theory]
    [MemberData(nameof(RealPoints))]
    public void UnwrapEcPoint_BarePoint_ReturnedAsIs(string name)
    {
        var key = Key(name);

        Assert.Equal<byte>(key.BarePoint, KeyMaterial.UnwrapEcPoint(key.BarePoint.AsSpan()));
    }

    /// <summary>A bare P-384 point whose first X byte is 0x5F (97 - 2) also parses as an OCTET STRING: it stays bare.</summary>
    [Fact]
    public void UnwrapEcPoint_BarePointThatReadsAsAnOctetString_ReturnedAsIs()
    {
        var bare = new byte[97];
        bare[0] = 0x04;
        bare[1] = 0x5F;
        bare[2] = 0x7A; // not 02, 03 or 04: no point begins so
        for (var i = 3; i < bare.Length; i++)
        {
            bare[i] = (byte)i;
        }

        Assert.Equal<byte>(bare, KeyMaterial.UnwrapEcPoint(bare));
    }

    [Fact]
    public void UnwrapEcPoint_Ed25519WrappedAndBare_GivesThe32Bytes()
    {
        var key = TestKeys.Ed25519;

        Assert.Equal<byte>(key.BarePoint, KeyMaterial.UnwrapEcPoint(key.WrappedPoint.AsSpan()));
        Assert.Equal<byte>(key.BarePoint, KeyMaterial.UnwrapEcPoint(key.BarePoint.AsSpan()));
    }

    [Fact]
    public void UnwrapEcPoint_BareP256PointThatParsesAsDer_ReturnedWholeWhenTheCurveIsKnown()
    {
        var bare = Convert.FromHexString(AmbiguousP256Point);

        var point = KeyMaterial.UnwrapEcPoint(bare, 65);

        Assert.Equal(bare, point.ToArray());
        // The same bytes DER-wrapped still unwrap to the point.
        Assert.Equal(bare, KeyMaterial.UnwrapEcPoint(TestKey.DerOctetString(bare), 65).ToArray());
    }

    [Fact]
    public void UnwrapEcPoint_AmbiguousPointIsARealP256Point()
    {
        // Guards the test data above: the bytes are a point on P-256, not a made-up value.
        var bare = Convert.FromHexString(AmbiguousP256Point);
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = bare[1..33], Y = bare[33..] } });

        Assert.Equal(256, ec.KeySize);
    }

    private static TestKey Key(string name) => new[] { TestKeys.P256, TestKeys.P384, TestKeys.P521 }.Single(k => k.Name == name);
}
