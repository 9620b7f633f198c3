using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TokenService.Cli;

/// <summary>Parses `HOST:PORT` (an IPv6 literal in brackets, RFC 3986 §3.2.2): the server a probe connects to.</summary>
internal sealed record ServerEndpoint(string Host, int Port)
{
    /// <exception cref="CliException">Usage error (exit 64): not HOST:PORT, or a port outside 1-65535.</exception>
    public static ServerEndpoint Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var usage = $"{what}: expected HOST:PORT (e.g. example.org:443 or [::1]:8443), got '{text}'";
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':'
                || !IPAddress.TryParse(text[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new CliException(ExitCodes.Usage, usage);
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0)
            {
                throw new CliException(ExitCodes.Usage, usage);
            }

            host = text[..colon];
            port = text[(colon + 1)..];

            // An IPv6 address without brackets cannot be told from its port.
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw new CliException(ExitCodes.Usage, usage + " (write an IPv6 address in brackets)");
            }
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace) || port.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, usage);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new CliException(ExitCodes.Usage, $"{what}: the port must be 1-65535, got '{port}'");
        }

        return new ServerEndpoint(host, number);
    }
}
