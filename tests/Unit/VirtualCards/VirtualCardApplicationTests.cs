using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.VirtualCards;
using Xunit;

namespace TokenService.Tests.Unit.VirtualCards;

/// <summary>The card edges the virtual PIV and JPKI cards answer, APDU by APDU, as OpenSC 0.23's drivers send them.</summary>
public sealed class VirtualCardApplicationTests : IDisposable
{
    private const string Pin = "123456";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vcard-unit-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly X509Certificate2 _ca;

    public VirtualCardApplicationTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=unit CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
    }

    [Fact]
    public void Transmit_PivVerifyWrongPin_CountsDownReports63CxAndBlocks()
    {
        var (edge, state) = Card(CardKind.Piv);

        Assert.Equal([0x63, 0xC3], edge.Transmit(Hex("0020008000")));
        Assert.Equal([0x63, 0xC2], edge.Transmit(Verify("000000")));
        Assert.Equal([0x63, 0xC1], edge.Transmit(Verify("000000")));
        Assert.Equal([0x63, 0xC0], edge.Transmit(Verify("000000")));
        Assert.Equal([0x69, 0x83], edge.Transmit(Verify(Pin)));
        Assert.Equal(0, CardState.Load(state.Path).Pin(PivApplication.PinReference).TriesLeft);
    }

    [Fact]
    public void Transmit_PivVerifyRightPin_RestoresCounterAndStatusIs9000()
    {
        var (edge, state) = Card(CardKind.Piv);

        Assert.Equal([0x63, 0xC2], edge.Transmit(Verify("000000")));
        Assert.Equal([0x90, 0x00], edge.Transmit(Verify(Pin)));
        Assert.Equal([0x90, 0x00], edge.Transmit(Hex("0020008000")));
        Assert.Equal(CardProvisioner.PivPinTries, CardState.Load(state.Path).Pin(PivApplication.PinReference).TriesLeft);
    }

    [Fact]
    public void Transmit_PivCertificateLongerThanLe_Answers61xxThenGetResponse()
    {
        var (edge, _) = Card(CardKind.Piv);

        var response = edge.Transmit(Hex("00CB3FFF055C035FC10500"));
        Assert.Equal(258, response.Length);
        Assert.Equal(0x61, response[^2]);
        var whole = new List<byte>(response[..^2]);
        while (response[^2] == 0x61)
        {
            response = edge.Transmit([0x00, 0xC0, 0x00, 0x00, response[^1]]);
            whole.AddRange(response[..^2]);
        }

        Assert.Equal([0x90, 0x00], response[^2..]);
        Assert.Equal(0x53, whole[0]);
        Assert.Contains("CN=TokenService PIV 9A", X509CertificateLoader.LoadCertificate(Certificate([.. whole])).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Transmit_PivGeneralAuthenticateChained_9ASignsOnlyAfterVerify()
    {
        var (edge, state) = Card(CardKind.Piv);
        var padded = new byte[256];
        padded[1] = 0x01;
        padded.AsSpan(2, 200).Fill(0xFF);
        RandomNumberGenerator.Fill(padded.AsSpan(203));
        byte[] template = [0x7C, 0x82, 0x01, 0x06, 0x82, 0x00, 0x81, 0x82, 0x01, 0x00, .. padded];

        Assert.Equal([0x69, 0x82], GeneralAuthenticate(edge, 0x9A, template)[^2..]);
        edge.Transmit(Verify(Pin));
        var signature = GeneralAuthenticate(edge, 0x9A, template);

        Assert.Equal(0x7C, signature[0]);
        var raw = signature.AsSpan(8, 256).ToArray();
        using var certificate = X509CertificateLoader.LoadCertificate(state.Key("9A")!.Certificate);
        using var rsa = certificate.GetRSAPublicKey()!;
        var p = rsa.ExportParameters(false);
        var recovered = System.Numerics.BigInteger.ModPow(
            new System.Numerics.BigInteger(raw, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true));
        Assert.Equal(new System.Numerics.BigInteger(padded, isUnsigned: true, isBigEndian: true), recovered);
    }

    [Fact]
    public void Transmit_JpkiSignatureWithAuthenticationKey_Pkcs1VerifiesAfterPin()
    {
        var (edge, state) = Card(CardKind.Jpki);
        var hash = SHA256.HashData("to be signed"u8);
        byte[] digestInfo = [.. Convert.FromHexString("3031300D060960864801650304020105000420"), .. hash];

        Assert.Equal([0x90, 0x00], edge.Transmit(Hex("00A4040C0AD392F000260100000001")));
        Assert.Equal([0x90, 0x00], edge.Transmit(Hex("00A4020C020018")));
        Assert.Equal([0x63, 0xC3], edge.Transmit(Hex("0020008000")));
        Assert.Equal([0x90, 0x00], edge.Transmit([0x00, 0x20, 0x00, 0x80, 0x04, .. "4321"u8]));
        Assert.Equal([0x90, 0x00], edge.Transmit(Hex("00A4020C020017")));
        var response = edge.Transmit([0x80, 0x2A, 0x00, 0x80, (byte)digestInfo.Length, .. digestInfo, 0x00]);

        Assert.Equal([0x90, 0x00], response[^2..]);
        using var certificate = X509CertificateLoader.LoadCertificate(state.Key(JpkiApplication.AuthenticationCertificate)!.Certificate);
        using var rsa = certificate.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyHash(hash, response[..^2], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Transmit_JpkiSignatureWithoutPin_SecurityStatusNotSatisfied()
    {
        var (edge, _) = Card(CardKind.Jpki);
        edge.Transmit(Hex("00A4040C0AD392F000260100000001"));
        edge.Transmit(Hex("00A4020C020017"));

        Assert.Equal([0x69, 0x82], edge.Transmit([0x80, 0x2A, 0x00, 0x80, 0x03, 0x01, 0x02, 0x03, 0x00]));
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private (CardEdge Edge, CardState State) Card(CardKind kind)
    {
        var state = CardProvisioner.Provision(kind, Path.Combine(_folder, CardState.KindName(kind) + ".json"), new CardProvisioner.Pins(kind == CardKind.Jpki ? "4321" : Pin, "87654321"), _ca, TimeProvider.System);
        return (new CardEdge(VirtualCardKinds.Application(state)), state);
    }

    private static byte[] Verify(string pin)
    {
        var data = Enumerable.Repeat((byte)0xFF, 8).ToArray();
        System.Text.Encoding.ASCII.GetBytes(pin).CopyTo(data, 0);
        return [0x00, 0x20, 0x00, 0x80, 0x08, .. data];
    }

    /// <summary>As OpenSC sends it: chained short APDUs (CLA 10) of at most 255 bytes, then GET RESPONSE for the rest.</summary>
    private static byte[] GeneralAuthenticate(CardEdge edge, byte key, byte[] template)
    {
        var offset = 0;
        byte[] response;
        do
        {
            var part = template.AsSpan(offset, Math.Min(255, template.Length - offset)).ToArray();
            offset += part.Length;
            var last = offset == template.Length;
            response = edge.Transmit([last ? (byte)0x00 : (byte)0x10, 0x87, 0x07, key, (byte)part.Length, .. part, .. last ? new byte[] { 0x00 } : []]);
        }
        while (offset < template.Length);

        var data = new List<byte>(response[..^2]);
        while (response[^2] == 0x61)
        {
            response = edge.Transmit([0x00, 0xC0, 0x00, 0x00, response[^1]]);
            data.AddRange(response[..^2]);
        }

        return [.. data, response[^2], response[^1]];
    }

    private static byte[] Certificate(byte[] pivObject)
    {
        // 53 82 LL LL 70 82 LL LL <certificate>
        var length = (pivObject[6] << 8) | pivObject[7];
        return pivObject.AsSpan(8, length).ToArray();
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
