using System.Collections.Immutable;
using TokenService.Tls;
using TokenService.Verdicts;

namespace TokenService.ServerProbe;

/// <summary>Turns what the probe saw into the server model the verdict engine predicts against.</summary>
internal static class ServerModels
{
    /// <summary>
    /// The probed lists and CA names, in the server's order. A version counts as accepted only when its probe ended
    /// without error: a server that negotiates a version and then breaks off before any CertificateRequest cannot
    /// authenticate a client there either. What a probe cannot see (the security level's RSA minimum, the TLS 1.2
    /// curve rule) stays as in <see cref="ServerModel.StockOpenSsl3"/>.
    /// </summary>
    public static ServerModel ToServerModel(this ServerRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var tls13 = requirements.Tls13;
        var tls12 = requirements.Tls12;

        // OpenSSL, nginx and Apache send one list in both versions; a server that differs gets the union (a CA named
        // in either version is one the server trusts).
        var authorities = tls13.CertificateAuthorities.Concat(tls12.CertificateAuthorities).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return ServerModel.StockOpenSsl3 with
        {
            Source = ServerModel.ProbedSource,
            Endpoint = requirements.Endpoint,
            AcceptsTls13 = Usable(tls13),
            AcceptsTls12 = Usable(tls12),
            RequestsCertificateTls13 = Usable(tls13) && tls13.RequestsCertificate,
            RequestsCertificateTls12 = Usable(tls12) && tls12.RequestsCertificate,
            Tls13Schemes = Codes(tls13),
            Tls12Schemes = Codes(tls12),
            CertificateAuthorities = authorities.IsEmpty ? null : authorities,
        };
    }

    private static bool Usable(VersionRequirements version) => version.Accepted && version.Error is null;

    /// <summary>
    /// The probe names every code point with <see cref="SignatureSchemeNames.NameOf"/> (`0xNNNN` when unnamed), which
    /// <see cref="SignatureSchemeNames.TryParse"/> inverts exactly.
    /// </summary>
    private static ImmutableArray<ushort> Codes(VersionRequirements version) =>
    [
        .. version.SignatureAlgorithms.Select(name => SignatureSchemeNames.TryParse(name, out var code)
            ? code
            : throw new InvalidOperationException($"the probe reported a signature algorithm it cannot name back: {name}")),
    ];
}
