using TokenService.Contracts;

namespace TokenService.Reporting;

/// <summary>The person's view of a server probe: per TLS version, whether it was accepted and what the server asks for.</summary>
internal sealed class ServerProbeTableRenderer(TextWriter output)
{
    public void Render(ServerProbeReport report)
    {
        output.WriteLine($"Server {report.Endpoint}");
        RenderVersion("TLS 1.3", report.Tls13);
        RenderVersion("TLS 1.2", report.Tls12);
    }

    private void RenderVersion(string label, ServerProbeVersionEntry version)
    {
        output.WriteLine();
        var state = (version.Accepted, version.Error, version.RequestsCertificate) switch
        {
            (false, { } error, _) => $"not accepted ({error})",
            (false, null, _) => "not accepted",
            (true, { } error, _) => $"accepted, then failed before any CertificateRequest ({error})",
            (true, null, true) => "accepted, requests a client certificate",
            (true, null, false) => "accepted, requests no client certificate",
        };
        output.WriteLine($"{label}: {state}");
        if (!version.RequestsCertificate)
        {
            return;
        }

        output.WriteLine("  signature_algorithms (server's order):");
        List(version.SignatureAlgorithms, "none");
        output.WriteLine("  signature_algorithms_cert:");
        List(version.SignatureAlgorithmsCert, "not sent (signature_algorithms applies to certificates too)");
        output.WriteLine("  certificate_authorities:");
        List(version.CertificateAuthorities, "none named (any CA the server trusts)");
    }

    private void List(IReadOnlyList<string>? items, string whenEmpty)
    {
        if (items is not { Count: > 0 })
        {
            output.WriteLine($"    {whenEmpty}");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            output.WriteLine($"    {i + 1,2}. {items[i]}");
        }
    }
}
