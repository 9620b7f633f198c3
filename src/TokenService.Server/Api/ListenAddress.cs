using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace TokenService.Api;

/// <summary>`HOST:PORT` for the HTTP API: an IP address (IPv6 in brackets), `localhost`, or `*` / `0.0.0.0` for every address.</summary>
internal sealed record ListenAddress(string Host, int Port)
{
    /// <summary>The address Kestrel binds, or null for `localhost` (every loopback address) and `*` (every address).</summary>
    public IPAddress? Address => Host is "localhost" or "*" ? null : IPAddress.Parse(Host.Trim('[', ']'));

    /// <summary>Only this machine can connect: no API key is needed.</summary>
    public bool IsLoopback => Host == "localhost" || (Address is { } a && IPAddress.IsLoopback(a));

    public static bool TryParse(string? text, [NotNullWhen(true)] out ListenAddress? address)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (host is not ("localhost" or "*") && (!IPAddress.TryParse(bare, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != (bare != host)))
        {
            return false; // a host name other than localhost would bind whatever it resolves to: give the address
        }

        address = new ListenAddress(host, port);
        return true;
    }

    public override string ToString() => $"{Host}:{Port}";
}
