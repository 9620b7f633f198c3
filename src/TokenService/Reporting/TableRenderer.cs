using System.Globalization;
using TokenService.Contracts;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>The person's view of a report: one glance gives the verdict, the cause and the fix.</summary>
internal sealed class TableRenderer(TextWriter output, bool color)
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";

    private static readonly HashSet<string> GenericReasons =
    [
        ReasonCodes.Pkcs1ForbiddenInTls13, ReasonCodes.Sha1Forbidden, ReasonCodes.CertificateKeyTypeMismatch,
        ReasonCodes.LegacyNotOfferedByServer, ReasonCodes.CurveBoundToOtherHash,
    ];

    public void Render(TokenReport report)
    {
        if (report.Tokens.Count == 0)
        {
            output.WriteLine($"No token found through {report.Module.Path}.");
            return;
        }

        // The first line answers the question for the target clients; the tokens below say why.
        var headline = report.Tokens is [{ Keys.Count: > 0 } only] ? ClientNames.Support(only.ClientSupport)
            : report.Tokens.Count > 1 ? $"{report.Tokens.Count} tokens: the worst decides"
            : "";
        output.WriteLine($"{VerdictBadge(report.Verdict)}  {headline}{TargetNote(report.TargetClients)}".TrimEnd());
        foreach (var token in report.Tokens)
        {
            RenderToken(token, showSupport: report.Tokens.Count > 1);
        }

        if (report.Server.Source != ServerModel.StockSource)
        {
            output.WriteLine(Paint(Dim, $"Predictions against the server's lists ({report.Server.Source}{(report.Server.Endpoint is { } e ? " " + e : "")}){ServerNotes(report.Server)}."));
        }
    }

    private void RenderToken(TokenEntry token, bool showSupport)
    {
        output.WriteLine();
        output.WriteLine($"{Paint(Bold, $"Token \"{token.Label}\"")}  {token.Manufacturer} {token.Model}, serial {token.SerialNumber}, slot {token.SlotId}   {VerdictBadge(token.Verdict)}{Unconfirmed(token.Confirmed || token.Keys.Count == 0)}");
        if (showSupport && token.Keys.Count > 0)
        {
            output.WriteLine($"  {ClientNames.Support(token.ClientSupport)}");
        }

        foreach (var p in token.Problems)
        {
            output.WriteLine($"  {Mark(p.Severity)} {p.Message}");
        }

        if (token.Keys.Count == 0)
        {
            RenderFixes(token.Remediation, "  ");
            return;
        }

        foreach (var key in token.Keys)
        {
            RenderKey(key);
        }
    }

    private void RenderKey(KeyEntry key)
    {
        var size = key.KeyType switch
        {
            "RSA" => $"RSA-{key.Bits}",
            "EC" => $"EC {key.Curve}",
            "EC_EDWARDS" => key.Curve ?? "EdDSA",
            _ => key.KeyType,
        };
        output.WriteLine();
        output.WriteLine($"  Key \"{key.Label}\" (id {key.Id}) {size}   {VerdictBadge(key.Verdict)}{Unconfirmed(key.Confirmed)}");
        if (!key.Confirmed)
        {
            output.WriteLine($"    {Paint(Dim, $"Seen without login; not seen: {string.Join(", ", key.Hidden)}")}");
        }

        if (key.Certificate is { } c)
        {
            var validity = $"valid {c.NotBefore:yyyy-MM-dd} .. {c.NotAfter:yyyy-MM-dd}";
            output.WriteLine($"    Certificate {c.Subject}, issued by {c.Issuer}, {validity}{(c.MatchesKey ? "" : ", " + Paint(Red, "NOT this key's certificate"))}");
        }

        output.WriteLine($"    TLS 1.3: {Capability(key.Tls13)}");
        output.WriteLine($"    TLS 1.2: {Capability(key.Tls12)}");
        RenderSelfTest(key.SelfTest);

        var headline = key.Problems.Where(p => p.Severity != ContractNames.Of(Severity.Info)).ToList();
        if (headline.Count > 0)
        {
            output.WriteLine($"    {Paint(Bold, "Cause")}");
            foreach (var p in headline)
            {
                output.WriteLine($"      {Mark(p.Severity)} {p.Message} {Paint(Dim, $"[{p.Code}]")}");
            }
        }

        RenderFixes(key.Remediation, "    ");
        RenderClients(key.Clients);
    }

    /// <summary>A few lines: counts per version, each failure with its CKR, and why anything was not signed.</summary>
    private void RenderSelfTest(IReadOnlyList<SelfTestEntry>? entries)
    {
        if (entries is null)
        {
            return;
        }

        var routed = entries.Where(e => e.Route is not null).ToList();
        if (routed.Count == 0)
        {
            output.WriteLine($"    Self-test: {Paint(Dim, "nothing to sign, no scheme is usable")}");
            return;
        }

        string Counts(string tls)
        {
            var of = routed.Where(e => e.Tls == tls).ToList();
            var parts = new[] { ("passed", Green), ("failed", Red), ("not-attempted", Dim) }
                .Select(r => (Count: of.Count(e => e.Result == r.Item1), Name: r.Item1, Color: r.Item2))
                .Where(r => r.Count > 0)
                .Select(r => Paint(r.Color, $"{r.Count} {r.Name}"));
            return of.Count == 0 ? Paint(Dim, "nothing usable") : string.Join(", ", parts);
        }

        output.WriteLine($"    Self-test: TLS 1.3 {Counts("1.3")}; TLS 1.2 {Counts("1.2")}");
        // One line per route and answer, however many schemes and versions met it.
        foreach (var failed in routed.Where(e => e.Result == "failed").GroupBy(e => (e.Route, Answer: e.ReturnValue ?? e.Detail)))
        {
            var schemes = string.Join(", ", failed.Select(e => e.Scheme).Distinct());
            var versions = string.Join(" and ", failed.Select(e => "TLS " + e.Tls).Distinct());
            output.WriteLine($"      {Paint(Red, "x")} {failed.Key.Route}: {failed.Key.Answer} ({schemes}; {versions})");
        }

        if (routed.FirstOrDefault(e => e.Result == "passed") is { } passed)
        {
            output.WriteLine($"      {Paint(Dim, passed.Detail)}");
        }

        if (routed.FirstOrDefault(e => e.Result == "not-attempted") is { } skipped)
        {
            output.WriteLine($"      {Paint(Dim, "not signed: " + skipped.Detail)}");
        }
    }

    private void RenderFixes(IReadOnlyList<RemediationEntry> fixes, string indent)
    {
        if (fixes.Count == 0)
        {
            return;
        }

        output.WriteLine($"{indent}{Paint(Bold, "Fix")}");
        foreach (var r in fixes)
        {
            output.WriteLine($"{indent}  [{r.Side}] {r.Action}");
        }
    }

    private void RenderClients(IReadOnlyList<ClientPredictionEntry> clients)
    {
        output.WriteLine($"    {Paint(Bold, "Clients")}{Paint(Dim, " (vs the server model; * = checked by real handshakes here)")}");
        foreach (var c in clients)
        {
            var name = (c.Basis == "tested-here" ? "*" : " ") + c.Stack;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {name,-16} TLS 1.3 {Outcome(c.Tls13)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {"",-16} TLS 1.2 {Outcome(c.Tls12)}"));
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

    private string Outcome(ClientOutcomeEntry o) => o.Outcome == "ok"
        ? Paint(Green, "ok   ") + o.Scheme
        : Paint(Red, "fail ") + o.Error;

    private string Capability(TlsCapabilityEntry tls)
    {
        var usable = tls.Schemes.Where(s => s.Usable).ToList();
        if (usable.Count == 0)
        {
            // Protocol rules that hold for every key of the type say nothing about this card: show the rest.
            var all = tls.Schemes.SelectMany(s => s.Reasons).Distinct().ToList();
            var specific = all.Where(r => !GenericReasons.Contains(r)).ToList();
            var reasons = (specific.Count > 0 ? specific : all).Take(4);
            return Paint(Red, "no") + $" ({string.Join(", ", reasons)})";
        }

        var routes = usable.GroupBy(s => s.Route).Select(g => $"{string.Join(" ", g.Select(s => s.Name))} via {g.Key}");
        return Paint(Green, "yes") + " " + string.Join("; ", routes);
    }

    /// <summary>A name that is no verdict (a report from another version) is shown as it came, never as another verdict.</summary>
    private string VerdictBadge(string verdict) => !ContractNames.TryParseVerdict(verdict, out var known)
        ? Paint(Red + Bold, verdict.ToUpperInvariant())
        : known switch
        {
            Verdict.Compatible => Paint(Green + Bold, "COMPATIBLE"),
            Verdict.Tls12Only => Paint(Yellow + Bold, "TLS 1.2 ONLY"),
            Verdict.ClientDependent => Paint(Yellow + Bold, "CLIENT-DEPENDENT"),
            Verdict.NoVisibleKey => Paint(Yellow + Bold, "NO VISIBLE KEY"),
            Verdict.Incompatible => Paint(Red + Bold, "INCOMPATIBLE"),
        };

    /// <summary>Says which clients the verdict is for, when not every modeled stack.</summary>
    private string TargetNote(IReadOnlyList<string> targets) =>
        targets.Count == 0 || targets.Count == Verdicts.Clients.ClientStacks.All.Count ? "" : Paint(Dim, $"  (for {ClientNames.Join(targets)})");

    /// <summary>A verdict seen without login: said on the same line, so that no one takes it for a confirmed one.</summary>
    private string Unconfirmed(bool confirmed) => confirmed ? "" : " " + Paint(Yellow, "(unconfirmed: the PIN would show the private key's attributes)");

    private string Mark(string severity) => !ContractNames.TryParseSeverity(severity, out var known)
        ? Paint(Red, "?")
        : known switch
        {
            Severity.Error => Paint(Red, "x"),
            Severity.Warning => Paint(Yellow, "!"),
            Severity.Info => Paint(Dim, "i"),
        };

    private string Paint(string code, string text) => color ? code + text + Reset : text;
}
