using System.Text;

namespace TokenService.SelfTest;

/// <summary>What a TLS client signs in CertificateVerify, built the way the protocol builds it.</summary>
internal static class TlsSignedContent
{
    /// <summary>RFC 8446 §4.4.3: the context string of a client's CertificateVerify.</summary>
    public const string Tls13ClientContext = "TLS 1.3, client CertificateVerify";

    /// <summary>
    /// RFC 8446 §4.4.3: 64 octets of 0x20, the context string, one 0x00 separator, then the transcript hash
    /// (Hash(Handshake Context, Certificate)). A real transcript hash is as long as the cipher suite's hash.
    /// </summary>
    public static byte[] Tls13ClientCertificateVerify(ReadOnlySpan<byte> transcriptHash)
    {
        var context = Encoding.ASCII.GetBytes(Tls13ClientContext);
        var content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        context.CopyTo(content, 64);
        content[64 + context.Length] = 0x00;
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }

    /// <summary>
    /// RFC 5246 §7.4.8: a TLS 1.2 CertificateVerify signs handshake_messages, every handshake message so far.
    /// Random bytes of a plausible length stand for them: the token cannot tell the difference.
    /// </summary>
    public static byte[] Tls12HandshakeMessages(Action<Span<byte>> random, int length = 1024)
    {
        var messages = new byte[length];
        random(messages);
        return messages;
    }
}
