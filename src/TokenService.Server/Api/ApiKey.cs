using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TokenService.Api;

/// <summary>
/// The configured API key, kept as its SHA-256 digest: a presented key is hashed too and the two digests compared
/// in fixed time, so neither the key's content nor its length shows in how long a refusal takes
/// (<see cref="CryptographicOperations.FixedTimeEquals"/> returns at once for inputs of different lengths).
/// </summary>
internal sealed class ApiKey(string key)
{
    public const string Header = "X-Api-Key";
    private const string Bearer = "Bearer ";

    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The key from <see cref="Header"/>, else from <c>Authorization: Bearer</c> (what Prometheus' scrape configuration can send).</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        var given = request.Headers[Header].ToString();
        if (given.Length == 0 && request.Headers[HeaderNames.Authorization].ToString() is var authorization
            && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            given = authorization[Bearer.Length..].Trim();
        }

        return Matches(given);
    }

    public bool Matches(string given)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }
}
