using System.Net;
using Microsoft.AspNetCore.Http;

namespace TokenService.Api;

/// <summary>
/// The Host headers the service answers: the names it is reached as, on its own port. A web page whose name an
/// attacker re-points at 127.0.0.1 (DNS rebinding) is same-origin with that name, not with us, and its requests
/// carry its own name as Host (RFC 9110 §7.2): refusing unknown names keeps such a page from reading the API.
/// </summary>
/// <remarks>
/// Allowed: <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> when the service listens on a loopback address (or
/// on every address), the listen address itself, any IP address when listening on every address (an address
/// literal cannot be rebound: only a name can), and <see cref="ServeOptions.AllowedHosts"/>. The port must be the
/// listen port; a Host without a port means the scheme's default port. ASP.NET Core's HostFiltering middleware
/// was not used: it ignores the port (<c>HostString.MatchesAny</c>).
/// </remarks>
internal sealed class AllowedHosts
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _anyAddress;
    private readonly int _port;
    private readonly bool _https;

    /// <param name="listen">The listen address (valid: <see cref="ServeOptions"/> has been validated).</param>
    /// <param name="extra">Validated <see cref="ServeOptions.AllowedHosts"/>.</param>
    /// <param name="https">Whether the service speaks HTTPS (a Host without a port means 443 then, 80 otherwise).</param>
    public AllowedHosts(ListenAddress listen, IEnumerable<string> extra, bool https)
    {
        _port = listen.Port;
        _https = https;
        _anyAddress = listen.Host == "*" || listen.Address is { } any && (any.Equals(IPAddress.Any) || any.Equals(IPAddress.IPv6Any));
        if (listen.IsLoopback || _anyAddress)
        {
            _names.UnionWith(LoopbackNames);
        }

        if (listen.Address is { } address && !_anyAddress)
        {
            _names.Add(HostNames.Format(address));
        }

        foreach (var name in extra)
        {
            if (HostNames.TryNormalize(name, out var host))
            {
                _names.Add(host);
            }
        }
    }

    /// <summary>The names allowed besides any address (when listening on every address), for messages.</summary>
    public IReadOnlyCollection<string> Names => _names;

    public bool Allows(HostString host)
    {
        if (!host.HasValue || (host.Port ?? (_https ? 443 : 80)) != _port)
        {
            return false;
        }

        if (!HostNames.TryNormalize(host.Host, out var name))
        {
            return false;
        }

        return _names.Contains(name) || (_anyAddress && IPAddress.TryParse(name.Trim('[', ']'), out _));
    }
}
