using System.Net;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace TokenService.ServerProbe;

/// <summary>
/// A TLS client that offers exactly one protocol version, records the server's CertificateRequest and answers it
/// with no certificate. It never verifies the server: it sends no application data and only reads what the server
/// asks for. Used once per connection; its state is read after the handshake ends.
/// </summary>
internal sealed class CertificateRequestProbeClient : DefaultTlsClient
{
    private readonly ProtocolVersion version;
    private readonly string? serverName;

    public CertificateRequestProbeClient(ProtocolVersion version, string? serverName)
        : base(new BcTlsCrypto(new SecureRandom()))
    {
        this.version = version;
        this.serverName = serverName;
    }

    /// <summary>The version the server chose in its ServerHello, or null when no acceptable ServerHello came.</summary>
    public ProtocolVersion? ServerVersion { get; private set; }

    /// <summary>The server's CertificateRequest, or null when none was received (yet).</summary>
    public CapturedCertificateRequest? Request { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => version.Only();

    /// <summary>RFC 6066 §3: a DNS host name only; IP literals and a trailing dot are not allowed in server_name.</summary>
    protected override IList<ServerName>? GetSniServerNames() =>
        serverName is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(serverName))];

    /// <summary>BouncyCastle calls this only after it has checked the version against the one offered.</summary>
    public override void NotifyServerVersion(ProtocolVersion serverVersion)
    {
        base.NotifyServerVersion(serverVersion);
        ServerVersion = serverVersion;
    }

    public override TlsAuthentication GetAuthentication() => new RecordingAuthentication(this);

    /// <summary>The server_name to send for <paramref name="host"/>, or null for an IP literal or a non-ASCII name.</summary>
    public static string? ServerNameFor(string host)
    {
        var name = host.TrimEnd('.');
        if (name.Length == 0 || IPAddress.TryParse(name, out _) || !Ascii.IsValid(name))
        {
            return null;
        }

        return name;
    }

    private sealed class RecordingAuthentication(CertificateRequestProbeClient owner) : TlsAuthentication
    {
        // The probe reads requirements only; trusting any server certificate cannot leak anything.
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
        }

        /// <summary>
        /// TLS 1.2 asks at ServerHelloDone (RFC 5246 §7.4.4), TLS 1.3 after the server's Finished (RFC 8446 §4.3.2).
        /// Null means an empty Certificate message: the server then fails the handshake or goes on without one.
        /// </summary>
        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            owner.Request = CapturedCertificateRequest.From(certificateRequest);
            return null;
        }
    }
}

/// <summary>The CertificateRequest as code points and DER names, copied out of BouncyCastle's types.</summary>
internal sealed record CapturedCertificateRequest(
    IReadOnlyList<ushort> SignatureAlgorithms,
    IReadOnlyList<ushort>? SignatureAlgorithmsCert,
    IReadOnlyList<byte[]> CertificateAuthorities)
{
    public static CapturedCertificateRequest From(CertificateRequest request) => new(
        CodePoints(request.SupportedSignatureAlgorithms) ?? [],
        CodePoints(request.SupportedSignatureAlgorithmsCert),
        request.CertificateAuthorities?.Select(name => name.GetEncoded(Asn1Encodable.Der)).ToArray() ?? []);

    /// <summary>
    /// RFC 8446 §4.2.3: a SignatureScheme is two octets; a TLS 1.2 SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1)
    /// is the same two octets, hash first.
    /// </summary>
    private static ushort[]? CodePoints(IList<SignatureAndHashAlgorithm>? algorithms) =>
        algorithms?.Select(a => (ushort)(((byte)a.Hash << 8) | (byte)a.Signature)).ToArray();
}
