using TokenService.Verdicts;

namespace TokenService.Handshake;

/// <summary>What a real client-auth handshake ended with: a value, whether the server accepted or not.</summary>
/// <param name="Ok">True only when the server accepted the client certificate (see <see cref="Evidence"/>).</param>
/// <param name="Scheme">The client's CertificateVerify SignatureScheme when it could be seen (TLS 1.2), else null.</param>
/// <param name="Error">What went wrong, for a person; null when ok.</param>
/// <param name="Cause">A <see cref="Verdicts.Clients.ClientCauses"/> code, or <see cref="HandshakeCauses.HandshakeFailed"/>.</param>
/// <param name="Evidence">One of <see cref="HandshakeEvidence"/>: what the result rests on.</param>
internal sealed record HandshakeOutcome(bool Ok, ushort? Scheme, string? Error, string? Cause, string Evidence)
{
    public static HandshakeOutcome Accepted(ushort? scheme, string evidence) => new(true, scheme, null, null, evidence);

    public static HandshakeOutcome Failed(string error, string cause, string evidence, ushort? scheme = null) =>
        new(false, scheme, error, cause, evidence);
}

/// <summary>The one cause code a real handshake can end with that no prediction uses.</summary>
internal static class HandshakeCauses
{
    /// <summary>The handshake failed in a way the alert or error does not pin to a known cause.</summary>
    public const string HandshakeFailed = "handshake-failed";
}

/// <summary>What a handshake result rests on; part of the handshake JSON contract (`evidence`).</summary>
internal static class HandshakeEvidence
{
    /// <summary>TLS 1.2: the server sent its Finished, which it does only after it has processed the client's
    /// Certificate and CertificateVerify (RFC 5246 §7.4.9); a strict server would have sent an alert instead.</summary>
    public const string ServerFinished = "server-finished";

    /// <summary>TLS 1.3: after the client's Finished the server sent a record (a NewSessionTicket, RFC 8446
    /// §4.6.1) that the client consumed without an alert.</summary>
    public const string PostHandshakeRecord = "post-handshake-record";

    /// <summary>TLS 1.3: after the client's Finished the server sent application data.</summary>
    public const string ServerData = "server-data";

    /// <summary>TLS 1.3: the server sent nothing within the wait after the client's Finished and no alert.</summary>
    public const string NoAlert = "no-alert-within-wait";

    /// <summary>The server sent an alert in reply to the client's flight.</summary>
    public const string ServerAlert = "server-alert";

    /// <summary>The server closed the connection (or reset it) in reply to the client's flight without an alert:
    /// taken as a rejection, but not the same evidence as an alert that names why.</summary>
    public const string ServerClosed = "server-closed";

    /// <summary>The client failed during the handshake (it could not sign, or refused its own key).</summary>
    public const string ClientError = "client-error";

    /// <summary>No connection was made: the client refused the key or certificate before connecting.</summary>
    public const string NotAttempted = "not-attempted";
}

/// <summary>The server could not be used to prove anything: unreachable, not TLS, refused the version, did not
/// ask for a client certificate, or its certificate failed --server-ca. Exit code 69.</summary>
internal sealed class ServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The TLS version a handshake used, as the contract writes it.</summary>
internal static class TlsVersions
{
    public static string Name(TlsVersion version) => version == TlsVersion.Tls13 ? "1.3" : "1.2";
}
