using TokenService.Contracts;

namespace TokenService.Reporting;

/// <summary>Client stacks as a person names them, for the one-line headline.</summary>
internal static class ClientNames
{
    private static readonly Dictionary<string, (string Family, string? Variant)> Display = new(StringComparer.Ordinal)
    {
        ["chrome-linux"] = ("Chrome", "Linux"),
        ["chrome-windows"] = ("Chrome", "Windows"),
        ["chrome-macos"] = ("Chrome", "macOS"),
        ["firefox"] = ("Firefox", null),
        ["gnutls"] = ("GnuTLS", null),
        ["openssl-libp11"] = ("OpenSSL+libp11", null),
        ["java"] = ("Java", null),
    };

    /// <summary>`Chrome (Windows, macOS), Firefox`: one family once, its variants in brackets; unknown names as they are.</summary>
    public static string Join(IEnumerable<string> stacks) => string.Join(", ", stacks
        .Select(s => Display.TryGetValue(s, out var d) ? d : (Family: s, Variant: null))
        .GroupBy(d => d.Family)
        .Select(g => g.Any(d => d.Variant is not null) ? $"{g.Key} ({string.Join(", ", g.Select(d => d.Variant))})" : g.Key));

    /// <summary>`TLS 1.3: ...; TLS 1.2 only: ...; neither: ...`, each part only when some client is in it.</summary>
    public static string Support(ClientSupportEntry support)
    {
        var parts = new List<string>();
        if (support.Tls13.Count > 0)
        {
            parts.Add("TLS 1.3: " + Join(support.Tls13));
        }

        if (support.Tls12Only.Count > 0)
        {
            parts.Add("TLS 1.2 only: " + Join(support.Tls12Only));
        }

        if (support.Neither.Count > 0)
        {
            parts.Add("neither: " + Join(support.Neither));
        }

        return string.Join("; ", parts);
    }
}
