using System.Net.Sockets;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>What the BouncyCastle test server puts in its CertificateRequest, as raw code points and DER names.</summary>
internal sealed record CertificateRequestSpec(
    IReadOnlyList<ushort> SignatureAlgorithms,
    IReadOnlyList<ushort>? SignatureAlgorithmsCert,
    IReadOnlyList<X509Name> CertificateAuthorities);

/// <summary>
/// A real TLS server on 127.0.0.1 built on BouncyCastle's server API, for what neither OpenSSL nor .NET can be told
/// to send: signature_algorithms_cert (RFC 8446 §4.2.3), code points they do not know, RFC 9963 legacy schemes.
/// One handshake per connection, each bounded; stopped on Dispose.
/// </summary>
internal sealed class BouncyCastleTlsServer : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly BcTlsCrypto crypto = new(new SecureRandom());
    private readonly AsymmetricKeyParameter key;
    private readonly TlsCertificate certificate;
    private readonly CertificateRequestSpec request;
    private readonly ProtocolVersion[] versions;
    private readonly LoopbackAcceptor acceptor;

    /// <param name="versions">The versions the server speaks; TLS 1.3 and 1.2 when null.</param>
    public BouncyCastleTlsServer(TestPki pki, CertificateRequestSpec request, ProtocolVersion[]? versions = null)
    {
        this.request = request;
        this.versions = versions ?? ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);
        using (var reader = new StreamReader(pki.ServerKey))
        {
            key = (AsymmetricKeyParameter)new PemReader(reader).ReadObject();
        }

        certificate = crypto.CreateCertificate(
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(pki.ServerCertificate).RawData);
        acceptor = new LoopbackAcceptor(HandshakeAsync);
    }

    public int Port => acceptor.Port;

    public ValueTask DisposeAsync() => acceptor.DisposeAsync();

    private async Task HandshakeAsync(TcpClient client, CancellationToken stopping)
    {
        // Blocking API: the socket timeouts bound it.
        client.ReceiveTimeout = (int)HandshakeTimeout.TotalMilliseconds;
        client.SendTimeout = (int)HandshakeTimeout.TotalMilliseconds;
        var server = new RequestingServer(crypto, key, certificate, request, versions);
        try
        {
            await Task.Run(() => new TlsServerProtocol(client.GetStream()).Accept(server), stopping);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The probe sends no certificate; this server refuses that, as a strict server would.
        }
    }

    private sealed class RequestingServer(
        BcTlsCrypto crypto,
        AsymmetricKeyParameter key,
        TlsCertificate certificate,
        CertificateRequestSpec request,
        ProtocolVersion[] versions)
        : DefaultTlsServer(crypto)
    {
        protected override ProtocolVersion[] GetSupportedVersions() => versions;

        protected override int[] GetSupportedCipherSuites() =>
        [
            CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ];

        public override TlsCredentials GetCredentials()
        {
            // RFC 8446 §4.4.2: the TLS 1.3 Certificate message carries a request context and per-entry extensions.
            var chain = TlsUtilities.IsTlsV13(m_context)
                ? new BcCertificate(TlsUtilities.EmptyBytes, [new CertificateEntry(certificate, null)])
                : new BcCertificate([certificate]);
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(m_context), crypto, key, chain,
                SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        public override CertificateRequest GetCertificateRequest()
        {
            var algorithms = Pairs(request.SignatureAlgorithms)!;
            if (TlsUtilities.IsTlsV13(m_context))
            {
                // RFC 8446 §4.2.4: certificate_authorities holds at least one name, so none means no extension.
                return new CertificateRequest(
                    TlsUtilities.EmptyBytes, algorithms, Pairs(request.SignatureAlgorithmsCert),
                    request.CertificateAuthorities.Count == 0 ? null : request.CertificateAuthorities.ToList());
            }

            return new CertificateRequest(
                [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, request.CertificateAuthorities.ToList());
        }

        public override void NotifyClientCertificate(BcCertificate clientCertificate)
        {
            if (clientCertificate.IsEmpty)
            {
                throw new TlsFatalAlert(TlsUtilities.IsTlsV13(m_context)
                    ? AlertDescription.certificate_required
                    : AlertDescription.handshake_failure);
            }
        }

        private static List<SignatureAndHashAlgorithm>? Pairs(IReadOnlyList<ushort>? codes) =>
            codes?.Select(c => SignatureAndHashAlgorithm.GetInstance((short)(c >> 8), (short)(c & 0xFF))).ToList();
    }
}
