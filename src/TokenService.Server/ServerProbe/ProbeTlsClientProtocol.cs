using Org.BouncyCastle.Tls;

namespace TokenService.ServerProbe;

/// <summary>BouncyCastle's blocking TLS client, tolerant of one known server defect (see <see cref="CertificateRequest13Repair"/>).</summary>
internal sealed class ProbeTlsClientProtocol(Stream stream) : TlsClientProtocol(stream)
{
    /// <summary>
    /// The transcript hash already holds the message as received (BouncyCastle hashes certificate_request before
    /// dispatching it), so handing the parser a repaired copy does not change the handshake's integrity checks.
    /// </summary>
    protected override void Receive13CertificateRequest(MemoryStream buf, bool postHandshakeAuth)
    {
        var body = new byte[buf.Length - buf.Position];
        buf.ReadExactly(body);
        var parsed = CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(body, out var repaired) ? repaired : body;
        base.Receive13CertificateRequest(new MemoryStream(parsed, writable: false), postHandshakeAuth);
    }
}
