using System.Security.Cryptography;
using TokenService.SelfTest;
using Xunit;

namespace TokenService.Tests.Unit.SelfTest;

public sealed class EcdsaSignaturesTests
{
    [Theory]
    // Small values: one-octet INTEGERs, leading zero octets of the fixed-width halves dropped.
    [InlineData("0001" + "0002", "3006020101020102")]
    // High bit set: a zero octet keeps the INTEGER positive (X.690 §8.3.2).
    [InlineData("80ff" + "7f00", "3009" + "02030080ff" + "02027f00")]
    // Zero stays one octet.
    [InlineData("0000" + "0001", "3006020100020101")]
    public void RawToDer_Halves_AreMinimalPositiveIntegers(string rs, string der) =>
        Assert.Equal(Convert.FromHexString(der), EcdsaSignatures.RawToDer(Convert.FromHexString(rs)));

    [Theory]
    [InlineData("nistP256", 32)]
    [InlineData("nistP384", 48)]
    [InlineData("nistP521", 64)]
    public void RawToDer_TokenStyleSignature_VerifiesAsRfc3279Der(string curve, int hashLength)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        for (var i = 0; i < 20; i++)
        {
            var digest = RandomNumberGenerator.GetBytes(hashLength);
            var rs = ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

            Assert.True(ecdsa.VerifyHash(digest, EcdsaSignatures.RawToDer(rs), DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("010203")]
    public void RawToDer_NotTwoHalves_Throws(string rs) =>
        Assert.Throws<ArgumentException>(() => EcdsaSignatures.RawToDer(Convert.FromHexString(rs)));
}
