using Microsoft.AspNetCore.Http;

namespace TokenService.Api;

/// <summary>
/// Which state-changing requests (anything but GET, HEAD, OPTIONS) a web page in the technician's browser could
/// have sent without the technician meaning to: a form or a no-cors fetch needs no permission to POST to
/// 127.0.0.1. Such a request is refused when the browser says it crossed sites (<c>Sec-Fetch-Site</c>, Fetch
/// Metadata; <c>Origin</c>, RFC 6454 §7), and whenever it lacks <see cref="Header"/>: a page can add a custom header
/// to a cross-origin request only after a CORS preflight, which this service never grants, so the header proves
/// the request came from a script of our own origin or from a program (curl, the fleet's tooling).
/// </summary>
internal static class CrossSiteRequests
{
    /// <summary>Required on every state-changing request, with the value <see cref="HeaderValue"/>.</summary>
    public const string Header = "X-TokenService";

    public const string HeaderValue = "1";

    /// <summary>Why <paramref name="request"/> is refused, or null when it may go on.</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null; // no side effects
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return $"cross-site request refused (Sec-Fetch-Site: {site})";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(origin, request))
        {
            return "cross-origin request refused (Origin is not this service)";
        }

        return request.Headers[Header] == HeaderValue
            ? null
            : $"state-changing requests need the header {Header}: {HeaderValue}";
    }

    /// <summary>The Origin's scheme, host and port (RFC 6454 §4) are the request's own.</summary>
    private static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery is not ("/" or "") || !request.Host.HasValue)
        {
            return false; // "null" (a sandboxed or file page) and anything malformed
        }

        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && HostNames.TryNormalize(uri.Host, out var originHost)
            && HostNames.TryNormalize(request.Host.Host, out var requestHost)
            && originHost == requestHost
            && uri.Port == port;
    }
}
