using TokenService.Certificates;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;
using TokenService.Tls;

namespace TokenService.ServerProbe;

/// <summary>
/// Asks a server, once per TLS version, what it demands of client certificates. TLS 1.3 encrypts the
/// CertificateRequest (RFC 8446 §4.3.2), so the probe runs a real handshake (BouncyCastle) up to it, answers with
/// no certificate and lets the server end the connection.
/// </summary>
internal sealed class ServerProbe
{
    private ServerProbe()
    {
    }

    /// <summary>Probes TLS 1.3, then TLS 1.2, each on its own connection to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="timeout">Bounds each of the two connections (connect and handshake), so the whole probe takes at most twice as long.</param>
    /// <returns>
    /// What the server asked for per version. A refused connection, a timeout or a refused version is reported in
    /// <see cref="VersionRequirements.Error"/>, not thrown.
    /// </returns>
    /// <exception cref="ArgumentException">An empty host, a port outside 1-65535 or a timeout that is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ServerRequirements> ProbeAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        // One after the other: single-threaded servers such as `openssl s_server` serve one connection at a time.
        var tls13 = await ProbeVersionAsync(host, port, ProtocolVersion.TLSv13, timeout, cancellationToken)
            .ConfigureAwait(false);
        var tls12 = await ProbeVersionAsync(host, port, ProtocolVersion.TLSv12, timeout, cancellationToken)
            .ConfigureAwait(false);
        return new ServerRequirements(FormatEndpoint(host, port), tls13, tls12);
    }

    private static async Task<VersionRequirements> ProbeVersionAsync(
        string host, int port, ProtocolVersion version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var tcp = new TcpClient();

        try
        {
            await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"timed out after {Seconds(timeout)} s connecting");
        }
        catch (SocketException e)
        {
            return Failed(DescribeConnectFailure(e));
        }

        var client = new CertificateRequestProbeClient(version, CertificateRequestProbeClient.ServerNameFor(host));
        Exception? failure = null;

        // BouncyCastle's blocking handshake has no cancellation: closing the socket is what ends a stalled read.
        using (deadline.Token.Register(static state => ((TcpClient)state!).Dispose(), tcp))
        {
            try
            {
                await Task.Run(() => Handshake(tcp.GetStream(), client), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                failure = e;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Interpret(version, client, failure, timedOut: deadline.IsCancellationRequested, timeout);
    }

    private static void Handshake(NetworkStream stream, CertificateRequestProbeClient client)
    {
        var protocol = new ProbeTlsClientProtocol(stream);

        // Blocks until the handshake ends. On failure BouncyCastle has already sent its alert and closed the stream.
        protocol.Connect(client);

        // The handshake completed: either no CertificateRequest came, or the server let the empty Certificate pass
        // (TLS 1.3 completes on the client side before the server judges the certificate). Say goodbye properly;
        // a server that has already hung up changes nothing about what it asked.
        try
        {
            protocol.Close();
        }
        catch (IOException)
        {
        }
    }

    private static VersionRequirements Interpret(
        ProtocolVersion version, CertificateRequestProbeClient client, Exception? failure, bool timedOut, TimeSpan timeout)
    {
        var accepted = version.Equals(client.ServerVersion);
        if (client.Request is { } request)
        {
            // Whatever happened after the request (the server's certificate_required or handshake_failure alert
            // for our empty Certificate, a reset) is the expected end of the probe.
            return new VersionRequirements
            {
                Accepted = accepted,
                RequestsCertificate = true,
                SignatureAlgorithms = request.SignatureAlgorithms.Select(SignatureSchemeNames.NameOf).ToArray(),
                SignatureAlgorithmsCert = request.SignatureAlgorithmsCert?.Select(SignatureSchemeNames.NameOf).ToArray(),
                CertificateAuthorities = request.CertificateAuthorities
                    .Select(der => DistinguishedNameFormatter.Format(der)).ToArray(),
            };
        }

        if (failure is null)
        {
            return new VersionRequirements { Accepted = accepted, RequestsCertificate = false };
        }

        return Failed(DescribeHandshakeFailure(version, accepted, failure, timedOut, timeout)) with { Accepted = accepted };
    }

    private static VersionRequirements Failed(string error) => new() { Error = error };

    private static string DescribeConnectFailure(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "host unreachable",
        SocketError.TimedOut => "timed out connecting",
        _ => $"connect failed: {e.SocketErrorCode}",
    };

    private static string DescribeHandshakeFailure(
        ProtocolVersion version, bool accepted, Exception failure, bool timedOut, TimeSpan timeout)
    {
        var name = VersionName(version);
        if (timedOut)
        {
            return $"timed out after {Seconds(timeout)} s in the {name} handshake";
        }

        return failure switch
        {
            // RFC 8446 §4.1.3 / RFC 5246 §7.2.2: a server that will not speak the version answers protocol_version
            // (or handshake_failure) instead of a ServerHello.
            TlsFatalAlertReceived received when !accepted =>
                $"server refused {name}: alert {AlertDescription.GetText(received.AlertDescription)}",
            TlsFatalAlertReceived received =>
                $"server ended the {name} handshake before any CertificateRequest: alert {AlertDescription.GetText(received.AlertDescription)}",
            // Raised by BouncyCastle when the ServerHello names a version that was not offered.
            TlsFatalAlert sent when !accepted && sent.AlertDescription == AlertDescription.protocol_version =>
                $"server did not negotiate {name}",
            TlsFatalAlert sent =>
                $"{name} handshake failed: {sent.Message}",
            _ => $"{name} handshake failed: {failure.Message}",
        };
    }

    private static string VersionName(ProtocolVersion version) =>
        version.Equals(ProtocolVersion.TLSv13) ? "TLS 1.3" : version.Equals(ProtocolVersion.TLSv12) ? "TLS 1.2" : version.ToString();

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>`host:port`, with an IPv6 literal in brackets (RFC 3986 §3.2.2).</summary>
    internal static string FormatEndpoint(string host, int port) =>
        IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
