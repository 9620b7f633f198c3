using TokenService.Contracts;

namespace TokenService.ServerProbe;

/// <summary>Turns probe results into the JSON contract.</summary>
internal static class ServerProbeReports
{
    public static ServerProbeReport ToReport(this ServerRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        return new ServerProbeReport
        {
            Endpoint = requirements.Endpoint,
            Tls13 = ToEntry(requirements.Tls13),
            Tls12 = ToEntry(requirements.Tls12),
        };
    }

    private static ServerProbeVersionEntry ToEntry(VersionRequirements version) => new()
    {
        Accepted = version.Accepted,
        RequestsCertificate = version.RequestsCertificate,
        SignatureAlgorithms = version.SignatureAlgorithms,
        SignatureAlgorithmsCert = version.SignatureAlgorithmsCert,
        CertificateAuthorities = version.CertificateAuthorities,
        Error = version.Error,
    };
}
