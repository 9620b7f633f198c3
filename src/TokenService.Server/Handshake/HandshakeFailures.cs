using System.Text.RegularExpressions;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Handshake;

/// <summary>What was known when a handshake (or the read after it) failed.</summary>
/// <param name="Version">The TLS version offered (only one is enabled).</param>
/// <param name="Messages">The exception chain's messages, outermost first (.NET wraps OpenSSL's last error).</param>
/// <param name="AfterHandshake">True when the failure came on the read after AuthenticateAsClientAsync (TLS 1.3).</param>
/// <param name="ServerRecords">Whole records the server had sent: zero means it never spoke TLS.</param>
/// <param name="ClientScheme">The client's CertificateVerify scheme, when seen in the clear (TLS 1.2).</param>
/// <param name="ClientCertificateEmpty">Whether the client's Certificate was empty, when seen in the clear.</param>
internal sealed record FailureFacts(
    TlsVersion Version,
    IReadOnlyList<string> Messages,
    bool AfterHandshake,
    int ServerRecords,
    ushort? ClientScheme,
    bool? ClientCertificateEmpty);

/// <summary>
/// Turns a failed handshake into a cause code aligned with <see cref="ClientCauses"/> and a readable error, from
/// what OpenSSL put in the exception chain: the alert the server sent (OpenSSL names a received alert
/// "sslv3 alert &lt;description&gt;" / "tlsv1 alert ..." / "tlsv13 alert ...", ssl/ssl_err.c) or the client's
/// own error. .NET keeps only OpenSSL's last error, so libp11's CKR_ code for a refused signature never reaches
/// us: the client's failure to sign shows as "EVP lib" (tls_construct_cert_verify, ssl/statem/statem_lib.c).
/// </summary>
internal static partial class HandshakeFailures
{
    /// <summary>The outcome, or the reason the server cannot be used at all (<see cref="ServerUnavailableException"/>).</summary>
    public static (HandshakeOutcome? Outcome, string? Unavailable) Classify(FailureFacts facts)
    {
        var text = string.Join(" | ", facts.Messages);
        var alert = AlertPattern().Match(text) is { Success: true } m ? m.Groups[1].Value.Replace(' ', '_') : null;
        var evidence = alert is null ? HandshakeEvidence.ClientError : HandshakeEvidence.ServerAlert;
        var openSsl = OpenSslPattern().Match(text) is { Success: true } e ? e.Value.Trim() : Innermost(facts.Messages);
        var version = TlsVersions.Name(facts.Version);

        HandshakeOutcome Fail(string error, string cause) => HandshakeOutcome.Failed(error, cause, evidence, facts.ClientScheme);

        switch (alert)
        {
            case "protocol_version":
                return (null, $"the server refused TLS {version} (alert protocol_version)");
            case "certificate_expired":
                return (Fail("server alert certificate_expired: the client certificate has expired (or is not yet valid)", ClientCauses.ServerRejectedCertificate), null);
            case "unsupported_certificate":
                return (Fail("server alert unsupported_certificate: the certificate's keyUsage / extendedKeyUsage does not allow TLS client authentication", ClientCauses.ServerRejectedCertificate), null);
            case "bad_certificate" or "certificate_unknown" or "certificate_revoked" or "unknown_ca" or "access_denied" or "insufficient_security":
                return (Fail($"server alert {alert}: the server rejected the client certificate", ClientCauses.ServerRejectedCertificate), null);
            case "certificate_required":
                return (Fail("server alert certificate_required: the client sent no certificate (OpenSSL found no signature scheme for this key among those the server offered)", ClientCauses.NoCommonAlgorithm), null);
            case "handshake_failure" when facts.ClientCertificateEmpty == true:
                return (Fail("server alert handshake_failure: the client sent an empty Certificate (OpenSSL found no signature scheme for this key among those the server offered)", ClientCauses.NoCommonAlgorithm), null);
            case "decrypt_error":
                return (Fail("server alert decrypt_error: the server could not verify the client's CertificateVerify signature", ClientCauses.BadSignature), null);
            case "illegal_parameter" when facts.Version == TlsVersion.Tls12 && IsEcdsa(facts.ClientScheme):
                // OpenSSL's server answers SSL_R_WRONG_CURVE with illegal_parameter when an ECDSA client key's
                // curve is not among the client's supported_groups (ssl/t1_lib.c tls12_check_peer_sigalg).
                return (Fail("server alert illegal_parameter after the client's ECDSA CertificateVerify: the key's curve is not among the client's supported_groups (wrong curve)", ClientCauses.CurveNotOffered), null);
            case not null:
                return (Fail($"server alert {alert} ({openSsl})", HandshakeCauses.HandshakeFailed), null);
        }

        if (text.Contains("EVP lib", StringComparison.Ordinal))
        {
            return (Fail($"the client could not make its CertificateVerify signature with the token key through the pkcs11 engine ({openSsl}; .NET does not pass on libp11's CKR_ code)", ClientCauses.SigningRefused), null);
        }

        if (text.Contains("ee key too small", StringComparison.Ordinal) || text.Contains("ca md too weak", StringComparison.Ordinal))
        {
            return (Fail($"the client refuses its own certificate ({openSsl}; OpenSSL security level 2)", ClientCauses.ClientRefusedKey), null);
        }

        if (facts.ServerRecords == 0 && !facts.AfterHandshake)
        {
            return (null, $"no TLS answer from the server: {Innermost(facts.Messages)}");
        }

        var closed = text.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase)
            || text.Contains("0 bytes from the transport", StringComparison.Ordinal)
            || text.Contains("reset by peer", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);
        if (closed)
        {
            return (HandshakeOutcome.Failed(
                $"the server closed the connection {(facts.AfterHandshake ? "right after the handshake" : "during the handshake")} without an alert: taken as a rejection",
                HandshakeCauses.HandshakeFailed, HandshakeEvidence.ServerClosed, facts.ClientScheme), null);
        }

        return (Fail($"handshake failed: {openSsl}", HandshakeCauses.HandshakeFailed), null);
    }

    private static bool IsEcdsa(ushort? scheme) => scheme is { } s && (s & 0xFF) == 0x03;

    private static string Innermost(IReadOnlyList<string> messages) => messages.Count == 0 ? "no detail" : messages[^1];

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert ([a-z]+(?: [a-z]+)*)")]
    private static partial Regex AlertPattern();

    [GeneratedRegex(@"error:[0-9A-F]{8}:[^|]*")]
    private static partial Regex OpenSslPattern();
}
