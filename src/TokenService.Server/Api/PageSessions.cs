using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TokenService.Api;

/// <summary>
/// Sessions of the technician's page on a service with an API key. A browser's <c>EventSource</c> cannot send a
/// header, and a key in the page's address would land in history, logs and Referer; so the page posts the key once
/// (<c>POST /api/session</c>) and gets a cookie holding a random session token instead: HttpOnly (no script reads
/// it, RFC 6265 §5.2.6), SameSite=Strict (no request another site starts carries it; draft-ietf-httpbis-rfc6265bis,
/// "The SameSite Attribute"), Path=/api (sent to the API only, RFC 6265 §5.2.4, and accepted there only), Secure
/// over HTTPS (§5.2.5). The service keeps only each token's SHA-256 and compares a presented
/// token against every live one in fixed time; a session ends after <see cref="Lifetime"/>, on sign-out, or when the
/// service stops (nothing is written to disk). At most <see cref="MaxSessions"/> live at once: a new one ends the oldest.
/// </summary>
internal sealed class PageSessions(TimeProvider time)
{
    public const string CookieName = "tokenservice-session";
    public const string CookiePath = "/api";
    public const int MaxSessions = 32;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const int TokenBytes = 32;

    private readonly Lock _gate = new();
    private readonly List<(byte[] Digest, DateTimeOffset Ends)> _sessions = [];

    /// <summary>A new session's token (256 random bits, base64url), to be set as the cookie's value.</summary>
    public string Start()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        var digest = Digest(token);
        lock (_gate)
        {
            Prune();
            if (_sessions.Count >= MaxSessions)
            {
                _sessions.RemoveAt(0); // the oldest: sessions are kept in the order they started
            }

            _sessions.Add((digest, time.GetUtcNow() + Lifetime));
        }

        return token;
    }

    /// <summary>Whether <paramref name="token"/> is a live session's: compared with every live one, each in fixed time.</summary>
    public bool IsLive(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var digest = Digest(token);
        var found = false;
        lock (_gate)
        {
            Prune();
            foreach (var session in _sessions)
            {
                found |= CryptographicOperations.FixedTimeEquals(session.Digest, digest);
            }
        }

        return found;
    }

    /// <summary>Ends the session of <paramref name="token"/>, if live.</summary>
    public void End(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        var digest = Digest(token);
        lock (_gate)
        {
            _sessions.RemoveAll(s => CryptographicOperations.FixedTimeEquals(s.Digest, digest));
        }
    }

    /// <summary>The cookie of a session (empty <paramref name="token"/> and an expiry in the past end it in the browser).</summary>
    public static CookieOptions Cookie(HttpRequest request, bool ending = false) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = CookiePath,
        Expires = ending ? DateTimeOffset.UnixEpoch : null, // a browser session cookie; the service ends it after Lifetime
    };

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private void Prune()
    {
        var now = time.GetUtcNow();
        _sessions.RemoveAll(s => s.Ends <= now);
    }
}
