using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TokenService.Verdicts;

namespace TokenService.Handshake;

/// <summary>One TLS client-auth handshake to make.</summary>
/// <param name="Host">Host name or address; also the SNI name and the name the server certificate must carry.</param>
/// <param name="ClientCertificate">The client certificate with its (token) private key.</param>
/// <param name="ServerTrust">Trust anchors for the server certificate, or null to accept any server certificate.</param>
/// <param name="Timeout">Bound on connecting plus the handshake.</param>
/// <param name="Wait">TLS 1.3: how long to wait after the client's Finished for the server's answer.</param>
internal sealed record HandshakeRequest(
    string Host,
    int Port,
    TlsVersion Version,
    X509Certificate2 ClientCertificate,
    X509Certificate2Collection? ServerTrust,
    TimeSpan Timeout,
    TimeSpan Wait);

/// <summary>
/// A real TLS client-auth handshake through .NET's SslStream, which on Linux is OpenSSL's libssl: the same
/// signature-scheme choice and signing calls as `openssl s_client` with the same key (docs/tls-client-auth.md §3).
/// </summary>
/// <remarks>
/// "Accepted" means the server accepted the client certificate, not merely that the client finished:
/// TLS 1.2: AuthenticateAsClientAsync completed, so the client verified the server's Finished, which the server
/// sends only after processing the client's Certificate and CertificateVerify (RFC 5246 §7.4.9).
/// TLS 1.3: the client finishes before the server has looked at its certificate (RFC 8446 §4.4.2, §4.4.3); a
/// rejection arrives later as an alert. So after the handshake the client reads, sending nothing, and takes as
/// accepted: a server record consumed without error (OpenSSL, Go and Java servers send NewSessionTicket right
/// after verifying the client, RFC 8446 §4.6.1), server data, or silence for <see cref="HandshakeRequest.Wait"/>;
/// and as rejected: an alert, or the connection closed without one.
/// </remarks>
internal static class ClientHandshake
{
    /// <exception cref="ServerUnavailableException">
    /// Connect failed or timed out, the server spoke no TLS or refused the version, did not ask for a client
    /// certificate, or its certificate failed <see cref="HandshakeRequest.ServerTrust"/>.
    /// </exception>
    public static async Task<HandshakeOutcome> RunAsync(HandshakeRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(request.Host, request.Port, deadline.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new ServerUnavailableException(e is SocketException
                ? $"cannot connect to {request.Host}:{request.Port}: {e.Message}"
                : $"cannot connect to {request.Host}:{request.Port}: no answer within {request.Timeout.TotalSeconds:F0} s", e);
        }

        var observer = new TlsRecordObserver(tcp.GetStream());
        var serverCheck = new ServerCertificateCheck(request.ServerTrust);
        await using var tls = new SslStream(observer, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = request.Host,
            EnabledSslProtocols = request.Version == TlsVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12,
            // The context is sent as is: no filtering on the server's certificate_authorities or on dates, which
            // LocalCertificateSelection would do; OpenSSL decides, as with s_client -cert/-key.
            ClientCertificateContext = SslStreamCertificateContext.Create(request.ClientCertificate, additionalCertificates: null, offline: true),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = serverCheck.Validate,
        };

        try
        {
            await tls.AuthenticateAsClientAsync(options, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnavailableException($"{request.Host}:{request.Port} did not complete the TLS {TlsVersions.Name(request.Version)} handshake within {request.Timeout.TotalSeconds:F0} s", e);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            if (serverCheck.Failure is { } untrusted)
            {
                throw new ServerUnavailableException($"the server certificate failed --server-ca: {untrusted}", e);
            }

            return Classified(request, observer, e, afterHandshake: false);
        }

        if (!tls.IsMutuallyAuthenticated)
        {
            throw new ServerUnavailableException(
                $"{request.Host}:{request.Port} completed the handshake without asking for a client certificate: nothing about the key was proven (use a server that requires one, e.g. openssl s_server -Verify 1 -verify_return_error)");
        }

        if (request.Version == TlsVersion.Tls12)
        {
            return HandshakeOutcome.Accepted(observer.ClientSignatureScheme, HandshakeEvidence.ServerFinished);
        }

        return await AwaitServerVerdictAsync(request, tls, observer, cancellationToken);
    }

    private static async Task<HandshakeOutcome> AwaitServerVerdictAsync(
        HandshakeRequest request, SslStream tls, TlsRecordObserver observer, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(request.Wait);
        observer.MarkHandshakeComplete();
        var read = tls.ReadAsync(new byte[1], wait.Token).AsTask();
        var first = await Task.WhenAny(read, observer.PostHandshakeRecordConsumed);
        if (first != read)
        {
            await wait.CancelAsync();
            await read.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return HandshakeOutcome.Accepted(observer.ClientSignatureScheme, HandshakeEvidence.PostHandshakeRecord);
        }

        try
        {
            var n = await read;
            return n > 0
                ? HandshakeOutcome.Accepted(observer.ClientSignatureScheme, HandshakeEvidence.ServerData)
                : HandshakeOutcome.Failed(
                    "the server closed the connection right after the handshake without an alert: taken as a rejection",
                    HandshakeCauses.HandshakeFailed, HandshakeEvidence.ServerClosed, observer.ClientSignatureScheme);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HandshakeOutcome.Accepted(observer.ClientSignatureScheme, HandshakeEvidence.NoAlert);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return Classified(request, observer, e, afterHandshake: true);
        }
    }

    private static HandshakeOutcome Classified(HandshakeRequest request, TlsRecordObserver observer, Exception e, bool afterHandshake)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            messages.Add(x.Message);
        }

        var (outcome, unavailable) = HandshakeFailures.Classify(new FailureFacts(
            request.Version, messages, afterHandshake, observer.ServerRecords, observer.ClientSignatureScheme, observer.ClientCertificateEmpty));
        return outcome ?? throw new ServerUnavailableException($"{request.Host}:{request.Port}: {unavailable}", e);
    }

    /// <summary>
    /// Checks the server certificate against --server-ca (custom root trust, name included), or accepts any when
    /// none was given: the point is the client's authentication, and the output says the server was not verified.
    /// </summary>
    private sealed class ServerCertificateCheck(X509Certificate2Collection? trust)
    {
        public string? Failure { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (trust is null)
            {
                return true;
            }

            if (certificate is null)
            {
                Failure = "the server sent no certificate";
                return false;
            }

            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                Failure = "the certificate does not name the host";
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trust);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            if (custom.Build(leaf))
            {
                return true;
            }

            Failure = string.Join(", ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return false;
        }
    }
}
