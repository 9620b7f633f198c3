using TokenService.Contracts;
using TokenService.Text;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>
/// The person's view of a report: one glance gives the verdict, the cause and the fix. Written through
/// <see cref="StyledText"/>, so no label or message from the token reaches the terminal unescaped.
/// </summary>
internal sealed class TableRenderer(TextWriter output, bool color)
{
    private static readonly HashSet<string> GenericReasons =
    [
        ReasonCodes.Pkcs1ForbiddenInTls13, ReasonCodes.Sha1Forbidden, ReasonCodes.CertificateKeyTypeMismatch,
        ReasonCodes.LegacyNotOfferedByServer, ReasonCodes.CurveBoundToOtherHash,
    ];

    public void Render(TokenReport report)
    {
        var text = new StyledText(color);
        Render(text, report);
        output.Write(text.ToString());
    }

    private static void Render(StyledText text, TokenReport report)
    {
        if (report.Tokens.Count == 0)
        {
            text.Line($"No token found through {report.Module.Path}.");
            RenderUninitialized(text, report.UninitializedTokens);
            return;
        }

        // The first line answers the question for the target clients; the tokens below say why.
        var headline = report.Tokens is [{ Keys.Count: > 0 } only] ? ClientNames.Support(only.ClientSupport)
            : report.Tokens.Count > 1 ? $"{report.Tokens.Count} tokens: the worst decides"
            : "";
        text.Append($"{ReportText.Verdict(report.Verdict)}");
        if (headline.Length > 0)
        {
            text.Append($"  {headline}");
        }

        if (TargetNote(report.TargetClients) is { Length: > 0 } note)
        {
            text.Append($"  {new Painted(Ink.Dim, note)}");
        }

        text.Line();
        foreach (var token in report.Tokens)
        {
            RenderToken(text, token, showSupport: report.Tokens.Count > 1);
        }

        if (report.Server.Source != ServerModel.StockSource)
        {
            text.Line(new Painted(Ink.Dim, $"Predictions against the server's lists ({report.Server.Source}{(report.Server.Endpoint is { } e ? " " + e : "")}){ServerNotes(report.Server)}."));
        }

        if (report.UninitializedTokens.Count > 0)
        {
            text.Line();
            RenderUninitialized(text, report.UninitializedTokens);
        }
    }

    /// <summary>One line for every token without CKF_TOKEN_INITIALIZED: nothing on them to judge, so no verdict.</summary>
    private static void RenderUninitialized(StyledText text, IReadOnlyList<UninitializedTokenEntry> tokens)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        // Every hole is escaped: a slot description is the module's (OpenSC puts the reader name there).
        var slots = string.Join(", ", tokens.Select(t => t.SlotDescription.Trim() is { Length: > 0 } d ? $"slot {t.SlotId} \"{d}\"" : $"slot {t.SlotId}"));
        text.Line($"{new Painted(Ink.Dim, "Not initialized (no CKF_TOKEN_INITIALIZED), left out of the verdict:")} {slots}");
    }

    private static void RenderToken(StyledText text, TokenEntry token, bool showSupport)
    {
        text.Line();
        text.Line($"{new Painted(Ink.Bold, $"Token \"{token.Label}\"")}  {token.Manufacturer} {token.Model}, serial {token.SerialNumber}, slot {token.SlotId}   {ReportText.Verdict(token.Verdict)}{ReportText.Unconfirmed(token.Confirmed || token.Keys.Count == 0)}");
        if (showSupport && token.Keys.Count > 0)
        {
            text.Line($"  {ClientNames.Support(token.ClientSupport)}");
        }

        foreach (var p in token.Problems)
        {
            text.Line($"  {ReportText.Mark(p.Severity)} {p.Message}");
        }

        if (token.Keys.Count == 0)
        {
            RenderFixes(text, token.Remediation, "  ");
            return;
        }

        foreach (var key in token.Keys)
        {
            RenderKey(text, key);
        }
    }

    private static void RenderKey(StyledText text, KeyEntry key)
    {
        text.Line();
        text.Line($"  Key \"{key.Label}\" (id {key.Id}) {ReportText.KeySize(key)}   {ReportText.Verdict(key.Verdict)}{ReportText.Unconfirmed(key.Confirmed)}");
        if (!key.Confirmed)
        {
            text.Line($"    {new Painted(Ink.Dim, $"Seen without login; not seen: {string.Join(", ", key.Hidden)}")}");
        }

        if (key.Certificate is { } c)
        {
            text.Append($"    Certificate {c.Subject}, issued by {c.Issuer}, valid {c.NotBefore:yyyy-MM-dd} .. {c.NotAfter:yyyy-MM-dd}");
            if (ReportText.CertificatePairing(key) is { } pairing)
            {
                text.Append($", {pairing}");
            }

            text.Line();
        }

        text.Line($"    TLS 1.3: {Capability(text, key.Tls13)}");
        text.Line($"    TLS 1.2: {Capability(text, key.Tls12)}");
        RenderSelfTest(text, key.SelfTest);

        var headline = key.Problems.Where(p => p.Severity != ContractNames.Of(Severity.Info)).ToList();
        if (headline.Count > 0)
        {
            text.Line($"    {new Painted(Ink.Bold, "Cause")}");
            foreach (var p in headline)
            {
                text.Line($"      {ReportText.Mark(p.Severity)} {p.Message} {new Painted(Ink.Dim, $"[{p.Code}]")}");
            }
        }

        RenderFixes(text, key.Remediation, "    ");
        RenderClients(text, key.Clients);
    }

    /// <summary>A few lines: counts per version, each failure with its CKR, and why anything was not signed.</summary>
    private static void RenderSelfTest(StyledText text, IReadOnlyList<SelfTestEntry>? entries)
    {
        if (entries is null)
        {
            return;
        }

        var routed = entries.Where(e => e.Route is not null).ToList();
        if (routed.Count == 0)
        {
            text.Line($"    Self-test: {new Painted(Ink.Dim, "nothing to sign, no scheme is usable")}");
            return;
        }

        StyledText Counts(string tls)
        {
            var of = routed.Where(e => e.Tls == tls).ToList();
            var counts = text.Fragment();
            if (of.Count == 0)
            {
                return counts.Append(new Painted(Ink.Dim, "nothing usable"));
            }

            var separator = "";
            foreach (var (result, ink) in new[] { ("passed", Ink.Green), ("failed", Ink.Red), ("not-attempted", Ink.Dim) })
            {
                var count = of.Count(e => e.Result == result);
                if (count > 0)
                {
                    counts.Append($"{separator}{new Painted(ink, $"{count} {result}")}");
                    separator = ", ";
                }
            }

            return counts;
        }

        text.Line($"    Self-test: TLS 1.3 {Counts("1.3")}; TLS 1.2 {Counts("1.2")}");
        // One line per route and answer, however many schemes and versions met it.
        foreach (var failed in routed.Where(e => e.Result == "failed").GroupBy(e => (e.Route, Answer: e.ReturnValue ?? e.Detail)))
        {
            var schemes = string.Join(", ", failed.Select(e => e.Scheme).Distinct());
            var versions = string.Join(" and ", failed.Select(e => "TLS " + e.Tls).Distinct());
            text.Line($"      {new Painted(Ink.Red, "x")} {failed.Key.Route}: {failed.Key.Answer} ({schemes}; {versions})");
        }

        if (routed.FirstOrDefault(e => e.Result == "passed") is { } passed)
        {
            text.Line($"      {new Painted(Ink.Dim, passed.Detail)}");
        }

        if (routed.FirstOrDefault(e => e.Result == "not-attempted") is { } skipped)
        {
            text.Line($"      {new Painted(Ink.Dim, "not signed: " + skipped.Detail)}");
        }
    }

    private static void RenderFixes(StyledText text, IReadOnlyList<RemediationEntry> fixes, string indent)
    {
        if (fixes.Count == 0)
        {
            return;
        }

        text.Line($"{indent}{new Painted(Ink.Bold, "Fix")}");
        foreach (var r in fixes)
        {
            text.Line($"{indent}  [{r.Side}] {r.Action}");
        }
    }

    private static void RenderClients(StyledText text, IReadOnlyList<ClientPredictionEntry> clients)
    {
        text.Line($"    {new Painted(Ink.Bold, "Clients")}{new Painted(Ink.Dim, " (vs the server model; * = checked by real handshakes here)")}");
        foreach (var c in clients)
        {
            var name = (c.Basis == "tested-here" ? "*" : " ") + c.Stack;
            text.Line($"      {name,-16} TLS 1.3 {Outcome(text, c.Tls13)}");
            text.Line($"      {"",-16} TLS 1.2 {Outcome(text, c.Tls12)}");
        }
    }

    private static string ServerNotes(ServerModelEntry server)
    {
        var notes = new List<string>();
        foreach (var (label, accepted, requests) in new[]
        {
            ("TLS 1.3", server.Tls13Accepted, server.Tls13RequestsCertificate),
            ("TLS 1.2", server.Tls12Accepted, server.Tls12RequestsCertificate),
        })
        {
            if (!accepted)
            {
                notes.Add($"does not accept {label}");
            }
            else if (!requests)
            {
                notes.Add($"requests no certificate in {label}");
            }
        }

        if (server.CertificateAuthorities is { Count: > 0 } cas)
        {
            notes.Add($"names {cas.Count} CA{(cas.Count == 1 ? "" : "s")}: {string.Join("; ", cas)}");
        }

        return notes.Count == 0 ? "" : "; the server " + string.Join(", ", notes);
    }

    private static StyledText Outcome(StyledText text, ClientOutcomeEntry o) => o.Outcome == "ok"
        ? text.Fragment().Append($"{new Painted(Ink.Green, "ok   ")}{o.Scheme}")
        : text.Fragment().Append($"{new Painted(Ink.Red, "fail ")}{o.Error}");

    private static StyledText Capability(StyledText text, TlsCapabilityEntry tls)
    {
        var usable = tls.Schemes.Where(s => s.Usable).ToList();
        if (usable.Count == 0)
        {
            // Protocol rules that hold for every key of the type say nothing about this card: show the rest.
            var all = tls.Schemes.SelectMany(s => s.Reasons).Distinct().ToList();
            var specific = all.Where(r => !GenericReasons.Contains(r)).ToList();
            var reasons = (specific.Count > 0 ? specific : all).Take(4);
            return text.Fragment().Append($"{new Painted(Ink.Red, "no")} ({string.Join(", ", reasons)})");
        }

        var routes = usable.GroupBy(s => s.Route).Select(g => $"{string.Join(" ", g.Select(s => s.Name))} via {g.Key}");
        return text.Fragment().Append($"{new Painted(Ink.Green, "yes")} {string.Join("; ", routes)}");
    }

    /// <summary>Says which clients the verdict is for, when not every modeled stack.</summary>
    private static string TargetNote(IReadOnlyList<string> targets) =>
        targets.Count == 0 || targets.Count == Verdicts.Clients.ClientStacks.All.Count ? "" : $"(for {ClientNames.Join(targets)})";
}
