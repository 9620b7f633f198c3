using System.Formats.Asn1;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class CurvesTests
{
    [Theory]
    [InlineData(Oids.P256, "secp256r1", 256)]
    [InlineData(Oids.P384, "secp384r1", 384)]
    [InlineData(Oids.P521, "secp521r1", 521)]
    [InlineData(Oids.Secp256k1, "secp256k1", 256)]
    [InlineData(Oids.BrainpoolP256, "brainpoolP256r1", 256)]
    [InlineData("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384)]
    [InlineData("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512)]
    [InlineData(Oids.Ed25519, "ed25519", 255)]
    [InlineData("1.3.6.1.4.1.11591.15.1", "ed25519", 255)]
    [InlineData("1.3.101.113", "ed448", 448)]
    public void FromEcParams_NamedCurveOid_NameAndFieldBits(string oid, string name, int bits)
    {
        var curve = Curves.FromEcParams(TestKey.DerOid(oid));

        Assert.Equal(name, curve);
        Assert.Equal(bits, Curves.FieldBits(curve));
    }

    [Fact]
    public void FromEcParams_UnknownOid_TheOidItself() =>
        Assert.Equal("1.2.3.4", Curves.FromEcParams(TestKey.DerOid("1.2.3.4")));

    [Theory]
    [InlineData("edwards25519", "ed25519")]
    [InlineData("edwards448", "ed448")]
    public void FromEcParams_PrintableStringOfPkcs11V3_EdwardsCurve(string printable, string name)
    {
        // PKCS#11 v3.0 §2.3.5 lets CKA_EC_PARAMS of an Edwards key be a PrintableString.
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteCharacterString(UniversalTagNumber.PrintableString, printable);

        Assert.Equal(name, Curves.FromEcParams(w.Encode()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("0500")]
    public void FromEcParams_EmptyOrNotAName_Null(string hex) => Assert.Null(Curves.FromEcParams(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("secp256r1", true)]
    [InlineData("secp384r1", true)]
    [InlineData("secp521r1", true)]
    [InlineData("secp256k1", false)]
    [InlineData("brainpoolP256r1", false)]
    [InlineData(null, false)]
    public void IsTls12Curve_Curve_OnlyTheNistCurvesOfRfc8422(string? curve, bool tls12) => Assert.Equal(tls12, Curves.IsTls12Curve(curve));

    [Theory]
    [InlineData("secp256r1", 65)]
    [InlineData("secp384r1", 97)]
    [InlineData("secp521r1", 133)]
    [InlineData("ed25519", 32)]
    [InlineData("ed448", 57)]
    [InlineData("1.2.3.4", null)]
    public void BarePointLength_Curve_UncompressedOrRfc8032Length(string curve, int? length) => Assert.Equal(length, Curves.BarePointLength(curve));
}
