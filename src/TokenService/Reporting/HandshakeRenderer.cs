using TokenService.Contracts;
using TokenService.Text;

namespace TokenService.Reporting;

/// <summary>
/// The person's view of a handshake: the real result above the prediction, and any disagreement loudly. The
/// labels, the server's name and OpenSSL's messages go through <see cref="StyledText"/>, escaped.
/// </summary>
internal sealed class HandshakeRenderer(TextWriter output)
{
    public void Render(HandshakeReport report)
    {
        var text = new StyledText(color: false);
        Render(text, report);
        output.Write(text.ToString());
    }

    private static void Render(StyledText output, HandshakeReport report)
    {
        output.Line($"TLS {report.Tls} client-auth handshake with {report.Server}");
        output.Line($"  token \"{report.Token}\", key {Key(report.Key)}, certificate from {report.Key.CertificateSource}");
        if (!report.ServerCertificateVerified)
        {
            output.Line("  server certificate NOT verified (no --server-ca): this proves the client's authentication only");
        }

        output.Line($"  real       {report.Stack,-18} {Outcome(report.Ok),-4}  {report.Scheme ?? SchemeUnknown(report)}");
        output.Line($"             {Evidence(report)}");
        if (!report.Ok)
        {
            output.Line($"             {report.Cause}: {report.Error}");
        }

        var p = report.Predicted;
        output.Line($"  predicted  {p.Stack,-18} {p.Outcome,-4}  {p.Scheme ?? "-"}   (server model {p.ServerModel})");
        if (p.Outcome != "ok")
        {
            output.Line($"             {p.Cause}: {p.Error}");
        }

        if (!report.Ok && p.Outcome != "ok" && report.Cause != p.Cause)
        {
            output.Line($"  note       the causes differ: predicted {p.Cause}, real {report.Cause}");
        }

        if (report.Agrees)
        {
            output.Line("  agreement  yes");
        }
        else
        {
            output.Line($"DISAGREEMENT: predicted {p.Outcome}{(p.Scheme is null ? "" : " with " + p.Scheme)}, the real handshake {(report.Ok ? "succeeded" : "failed")}{(report.Scheme is null ? "" : " with " + report.Scheme)}");
        }
    }

    private static string Key(HandshakeKeyEntry key) =>
        key.Label is null ? $"id {key.Id}" : $"\"{key.Label}\" (id {key.Id})";

    private static string Outcome(bool ok) => ok ? "ok" : "fail";

    private static string SchemeUnknown(HandshakeReport report) =>
        report.Tls == "1.3" ? "scheme unknown (TLS 1.3 encrypts CertificateVerify; .NET does not expose it)" : "scheme not seen";

    private static string Evidence(HandshakeReport report) => report.Evidence switch
    {
        "server-finished" => "accepted: the server sent its Finished after the client's Certificate and CertificateVerify",
        "post-handshake-record" => "accepted: after the client's Finished the server sent a record (NewSessionTicket) and no alert",
        "server-data" => "accepted: after the client's Finished the server sent data",
        "no-alert-within-wait" => "accepted (weak): no alert and nothing else from the server within the wait after the client's Finished",
        "server-alert" => "rejected: the server answered the client's flight with an alert",
        "server-closed" => "rejected (no alert): the server closed the connection after the client's flight without saying why",
        "client-error" => "failed in the client during the handshake",
        "not-attempted" => "not attempted: the client refused before connecting",
        var other => other,
    };
}
