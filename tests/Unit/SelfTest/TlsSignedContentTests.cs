using System.Text;
using TokenService.SelfTest;
using Xunit;

namespace TokenService.Tests.Unit.SelfTest;

public sealed class TlsSignedContentTests
{
    /// <summary>RFC 8446 §4.4.3: 64 × 0x20, "TLS 1.3, client CertificateVerify", 0x00, transcript hash.</summary>
    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void Tls13ClientCertificateVerify_TranscriptHash_HasTheRfc8446Layout(int hashLength)
    {
        var transcriptHash = Enumerable.Range(1, hashLength).Select(i => (byte)i).ToArray();

        var content = TlsSignedContent.Tls13ClientCertificateVerify(transcriptHash);

        Assert.Equal(64 + 33 + 1 + hashLength, content.Length);
        Assert.All(content[..64], b => Assert.Equal(0x20, b));
        Assert.Equal("TLS 1.3, client CertificateVerify", Encoding.ASCII.GetString(content, 64, 33));
        Assert.Equal(0x00, content[97]);
        Assert.Equal(transcriptHash, content[98..]);
    }

    [Fact]
    public void Tls12HandshakeMessages_RandomSource_FillsTheWholeLength()
    {
        var messages = TlsSignedContent.Tls12HandshakeMessages(b => b.Fill(0xA5), 300);

        Assert.Equal(300, messages.Length);
        Assert.All(messages, b => Assert.Equal(0xA5, b));
    }
}
