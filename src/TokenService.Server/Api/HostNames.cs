using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TokenService.Api;

/// <summary>Host names as a Host header carries them (RFC 9110 §7.2): DNS names lower-cased, IPv6 in brackets.</summary>
internal static class HostNames
{
    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// A DNS name (ASCII, or Unicode turned to punycode), an IPv4 address or an IPv6 address (brackets optional)
    /// in the form <see cref="Microsoft.AspNetCore.Http.HostString.Host"/> gives it: lower case, IPv6 bracketed
    /// and compressed. Refuses ports, wildcards and anything else.
    /// </summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? host)
    {
        host = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim() != text)
        {
            return false;
        }

        var bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (IPAddress.TryParse(bare, out var ip) && (bare.Contains(':') || bare == text))
        {
            host = Format(ip);
            return true;
        }

        if (bare != text)
        {
            return false; // brackets around something that is not an IPv6 address
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(text.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (Uri.CheckHostName(ascii) != UriHostNameType.Dns)
        {
            return false;
        }

        host = ascii.ToLowerInvariant();
        return true;
    }

    /// <summary>An address as a Host header names it: IPv6 in brackets.</summary>
    public static string Format(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
