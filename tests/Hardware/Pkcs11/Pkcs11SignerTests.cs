using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using Xunit;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>
/// The signing API against SoftHSM in this process: keys named by CKA_ID, answers as bytes or CKR names, and
/// the login rules counted through pkcs11-spy. The fixture's whitelist has no CKM_RSA_PKCS_PSS.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11SignerTests(SoftHsmFixture softHsm)
{
    private static readonly ImmutableArray<byte> RsaId = [0x01];
    private static readonly ImmutableArray<byte> EcId = [0x02];

    [Fact]
    public void SignAll_RsaAndEcKeys_SignaturesVerifyWithTheirPublicKeys()
    {
        var digest = SHA256.HashData("handshake messages"u8);
        byte[] digestInfo = [.. Convert.FromHexString("3031300d060960864801650304020105000420"), .. digest];

        var (result, _) = SignThroughSpy(SoftHsmFixture.UserPin,
            new SignItem(RsaId, Mechanisms.RsaPkcs, null, [.. digestInfo]),
            new SignItem(EcId, Mechanisms.Ecdsa, null, [.. digest]));

        Assert.Equal(LoginOutcome.LoggedIn, result.Login);
        Assert.All(result.Items, i => Assert.Equal(SignStatus.Signed, i.Status));
        using var certificate = X509CertificateLoader.LoadCertificate(softHsm.CertificateDer);
        using var rsa = certificate.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyHash(digest, result.Items[0].Signature.AsSpan(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var ecdsa = EcPublicKey();
        Assert.Equal(64, result.Items[1].Signature.Length); // r‖s
        Assert.True(ecdsa.VerifyHash(digest, result.Items[1].Signature.AsSpan(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void SignAll_MechanismTheSlotDoesNotOffer_RefusedAtSignInitWithItsCkr()
    {
        var pss = new PssParameters(Mechanisms.Sha256, Mechanisms.MgfSha256, 32);

        var (result, _) = SignThroughSpy(SoftHsmFixture.UserPin, new SignItem(RsaId, Mechanisms.RsaPkcsPss, pss, [.. new byte[32]]));

        var item = Assert.Single(result.Items);
        Assert.Equal((SignStatus.Refused, "C_SignInit", "CKR_MECHANISM_INVALID"), (item.Status, item.Function, item.ReturnValue));
        Assert.True(item.Signature.IsEmpty);
    }

    [Fact]
    public void SignAll_NoKeyWithThatId_NotAttemptedAndTheRestSigned()
    {
        var (result, calls) = SignThroughSpy(SoftHsmFixture.UserPin,
            new SignItem([0x7F], Mechanisms.Ecdsa, null, [.. new byte[32]]),
            new SignItem(EcId, Mechanisms.Ecdsa, null, [.. new byte[32]]));

        Assert.Equal(SignStatus.NotAttempted, result.Items[0].Status);
        Assert.Equal("no private key with CKA_ID 7f", result.Items[0].Detail);
        Assert.Equal(SignStatus.Signed, result.Items[1].Status);
        Assert.Equal(1, calls.Count(c => c == "C_SignInit"));
    }

    [Fact]
    public void SignAll_WrongPin_OneLoginNothingSignedAndNoPinInTheAnswer()
    {
        const string wrongPin = "999999";

        var (result, calls) = SignThroughSpy(wrongPin, new SignItem(EcId, Mechanisms.Ecdsa, null, [.. new byte[32]]));

        Assert.Equal(LoginOutcome.Failed, result.Login);
        Assert.Equal("C_Login returned CKR_PIN_INCORRECT", result.LoginMessage);
        Assert.Equal(1, calls.Count(c => c == "C_Login"));
        Assert.DoesNotContain("C_SignInit", calls);
        var item = Assert.Single(result.Items);
        Assert.Equal(SignStatus.NotAttempted, item.Status);
        Assert.DoesNotContain(wrongPin, result.ToString() + item, StringComparison.Ordinal);
    }

    [Fact]
    public void SignAll_WithPin_LogsInOnceAndOutAfterTheLastSignature()
    {
        var (_, calls) = SignThroughSpy(SoftHsmFixture.UserPin,
            new SignItem(EcId, Mechanisms.Ecdsa, null, [.. new byte[32]]),
            new SignItem(RsaId, Mechanisms.RsaX509, null, [.. new byte[256]]));

        Assert.Equal(1, calls.Count(c => c == "C_Login"));
        Assert.Equal(1, calls.Count(c => c == "C_Logout"));
        Assert.True(calls.IndexOf("C_Login") < calls.IndexOf("C_SignInit"));
        Assert.True(calls.LastIndexOf("C_Sign") < calls.IndexOf("C_Logout"));
    }

    [Fact]
    public void SignAll_NoSuchToken_NotAttemptedWithoutLogin()
    {
        var pin = Encoding.UTF8.GetBytes(SoftHsmFixture.UserPin);
        var result = Pkcs11Signer.SignAll(SoftHsmFixture.ModulePath, new SignRequest
        {
            TokenLabel = "no-such-token",
            Pin = pin,
            Items = [new SignItem(EcId, Mechanisms.Ecdsa, null, [.. new byte[32]])],
        });

        Assert.Equal(LoginOutcome.NotAttempted, result.Login);
        Assert.Equal(SignStatus.NotAttempted, Assert.Single(result.Items).Status);
        Assert.Contains("no-such-token", result.LoginMessage, StringComparison.Ordinal);
    }

    /// <summary>One SignAll through the spy, the PIN as bytes cleared afterwards, and the calls it made.</summary>
    private (SignResult Result, List<string> Calls) SignThroughSpy(string pin, params SignItem[] items)
    {
        var before = softHsm.SpiedCalls().Count;
        var pinBytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            var result = Pkcs11Signer.SignAll(SoftHsmFixture.SpyModulePath, new SignRequest
            {
                TokenLabel = SoftHsmFixture.TokenLabel,
                Pin = pinBytes,
                Items = items,
            });
            return (result, softHsm.SpiedCalls().Skip(before).ToList());
        }
        finally
        {
            pinBytes.AsSpan().Clear();
        }
    }

    private ECDsa EcPublicKey()
    {
        var token = Assert.Single(SoftHsmFixture.Read(SoftHsmFixture.ModulePath, SoftHsmFixture.TokenLabel, pin: null).Tokens);
        var pub = Assert.Single(token.PublicKeys, k => k.Id.SequenceEqual(EcId));
        var point = new AsnReader(pub.EcPoint.ToArray(), AsnEncodingRules.DER).ReadOctetString();
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
    }
}
