namespace TokenService.Verdicts.Clients;

/// <summary>Helpers shared by the stacks that follow the server's preference order.</summary>
internal static class ServerOrder
{
    public static IEnumerable<SignatureScheme> Of(ServerModel server, TlsVersion version)
    {
        foreach (var code in server.SchemesFor(version))
        {
            if (SignatureSchemes.TryGet(code, out var scheme))
            {
                yield return scheme;
            }
        }
    }

    public static IEnumerable<SignatureScheme> Named(params string[] names) =>
        names.Select(n => SignatureSchemes.TryGet(n, out var s) ? s : throw new InvalidOperationException(n));
}

/// <summary>What a stock OpenSSL server answers when the client sends no certificate (RFC 8446 §4.4.2.4).</summary>
internal static class ServerAlerts
{
    public static string NoCertificate(TlsVersion version) => version == TlsVersion.Tls13
        ? "server alert certificate_required (peer did not return a certificate)"
        : "server alert handshake_failure (peer did not return a certificate)";
}
