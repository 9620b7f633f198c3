using TokenService.Contracts;
using TokenService.Text;

namespace TokenService.Reporting;

/// <summary>
/// The person's view of a server probe: per TLS version, whether it was accepted and what the server asks for.
/// What the server sent (CA names, errors) goes through <see cref="StyledText"/>, escaped.
/// </summary>
internal sealed class ServerProbeTableRenderer(TextWriter output)
{
    public void Render(ServerProbeReport report)
    {
        var text = new StyledText(color: false);
        Render(text, report);
        output.Write(text.ToString());
    }

    private static void Render(StyledText output, ServerProbeReport report)
    {
        output.Line($"Server {report.Endpoint}");
        RenderVersion(output, "TLS 1.3", report.Tls13);
        RenderVersion(output, "TLS 1.2", report.Tls12);
    }

    private static void RenderVersion(StyledText output, string label, ServerProbeVersionEntry version)
    {
        output.Line();
        var state = (version.Accepted, version.Error, version.RequestsCertificate) switch
        {
            (false, { } error, _) => $"not accepted ({error})",
            (false, null, _) => "not accepted",
            (true, { } error, _) => $"accepted, then failed before any CertificateRequest ({error})",
            (true, null, true) => "accepted, requests a client certificate",
            (true, null, false) => "accepted, requests no client certificate",
        };
        output.Line($"{label}: {state}");
        if (!version.RequestsCertificate)
        {
            return;
        }

        output.Line("  signature_algorithms (server's order):");
        List(output, version.SignatureAlgorithms, "none");
        output.Line("  signature_algorithms_cert:");
        List(output, version.SignatureAlgorithmsCert, "not sent (signature_algorithms applies to certificates too)");
        output.Line("  certificate_authorities:");
        List(output, version.CertificateAuthorities, "none named (any CA the server trusts)");
    }

    private static void List(StyledText output, IReadOnlyList<string>? items, string whenEmpty)
    {
        if (items is not { Count: > 0 })
        {
            output.Line($"    {whenEmpty}");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            output.Line($"    {i + 1,2}. {items[i]}");
        }
    }
}
