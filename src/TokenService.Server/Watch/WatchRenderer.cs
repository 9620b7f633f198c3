using TokenService.Contracts;
using TokenService.Reporting;
using TokenService.Text;
using TokenService.Verdicts.Findings;
using TokenService.Worker;

namespace TokenService.Watch;

/// <summary>
/// The technician's view of the watcher: a whole screen (readers, card and ATR, and for a card present its
/// verdict per key with the headline cause and the fix), or one block of lines per event when the output is
/// not a terminal. Pure: strings in, strings out. Written through <see cref="StyledText"/>, so reader names,
/// labels and module messages reach the terminal escaped, with the check table's words and inks (<see cref="ReportText"/>).
/// </summary>
internal sealed class WatchRenderer(bool color, TimeZoneInfo zone)
{
    /// <summary>How many finished checks the screen lists under the readers.</summary>
    private const int RecentChecks = 5;

    public string Screen(IReadOnlyList<ReaderStateEntry> readers, IReadOnlyList<CheckHistoryEntry> history, string? serviceLost, DateTimeOffset now)
    {
        var text = new StyledText(color);
        var service = serviceLost is null ? new Painted(Ink.Green, "pcscd ok") : new Painted(Ink.Red | Ink.Bold, $"pcscd UNREACHABLE ({serviceLost}), reconnecting");
        text.Line($"{new Painted(Ink.Bold, "TokenService watch")}  {service}  {readers.Count} reader(s)  {Clock(now)}{new Painted(Ink.Dim, "   Ctrl-C quits")}");
        if (readers.Count == 0)
        {
            text.Line().Line(serviceLost is null ? "No reader attached." : "Readers unknown until pcscd answers.");
        }

        foreach (var reader in readers)
        {
            text.Line();
            Reader(text, reader);
        }

        if (history.Count > 0)
        {
            text.Line().Line($"{new Painted(Ink.Bold, "Recent checks")}");
            foreach (var check in history.Take(RecentChecks))
            {
                text.Line($"  {Clock(check.StartedAt)}  {check.Reader,-20} {check.TokenLabel ?? "-",-18} {Outcome(check.State, check.Verdict)}  {check.DurationMilliseconds:F0} ms");
            }
        }

        return text.ToString();
    }

    /// <summary>One event as lines for a log or a pipe; a verdict adds one line per key.</summary>
    public string Event(WatchEvent entry)
    {
        var text = new StyledText(color);
        text.Append($"{Clock(entry.At)} {entry.Type.Name(),-16}");
        switch (entry.Type)
        {
            case WatchEventType.ServiceLost:
                text.Append(new Painted(Ink.Red, entry.Reason ?? ""));
                break;
            case WatchEventType.ServiceRestored:
                text.Append($"pcscd answers again after {entry.GapMilliseconds:F0} ms");
                break;
            case WatchEventType.EventsDropped:
                text.Append($"{entry.Reason} events lost (output too slow)");
                break;
            case WatchEventType.CardInserted:
                text.Append($"{entry.ReaderName}  ATR {entry.State?.Atr}");
                break;
            case WatchEventType.ProbeStarted:
                text.Append($"{entry.ReaderName}  reading the token");
                break;
            case WatchEventType.Verdict when entry.Check is { } check:
                text.Append($"{entry.ReaderName}  {Outcome(check.State, check.Verdict)}  token {check.TokenLabel ?? "-"}  {check.DurationMilliseconds:F0} ms");
                if (check.Error is { } error)
                {
                    text.Append($"  {error}");
                }

                foreach (var token in entry.State?.Report?.Tokens ?? [])
                {
                    foreach (var key in token.Keys)
                    {
                        text.NewLine();
                        Key(text, key, "    ", oneLine: true);
                    }
                }

                break;
            default:
                text.Append(entry.ReaderName);
                break;
        }

        return text.NewLine().ToString();
    }

    private void Reader(StyledText text, ReaderStateEntry reader)
    {
        text.Append(new Painted(Ink.Bold | Ink.Cyan, reader.Name));
        if (!reader.CardPresent)
        {
            text.Line($"  {(reader.State == ReaderStateNames.RemovedDuringProbe
                ? new Painted(Ink.Yellow, "card removed while it was being read: no verdict, reinsert it")
                : new Painted(Ink.Dim, "no card"))}");
            return;
        }

        text.Line($"  card ATR {(reader.Atr is { Length: > 0 } atr ? atr : "(mute)")}");
        if (reader.Card is { } card && (card.Names.Count > 0 || card.Family is not null))
        {
            text.Line($"  {string.Join(" / ", card.Names)}{(card.Family is { } family ? $"  [family {family}]" : "")}");
        }

        switch (reader.State)
        {
            case ReaderStateNames.Probing:
                text.Line($"  {new Painted(Ink.Yellow, "reading the token ...")}");
                break;
            case ReaderStateNames.Verdict when reader.Report is { } report:
                foreach (var token in report.Tokens)
                {
                    text.Line($"  token \"{token.Label}\" {token.Manufacturer} {token.Model}   {ReportText.Verdict(token.Verdict)}{ReportText.Unconfirmed(token.Confirmed || token.Keys.Count == 0)}");
                    foreach (var key in token.Keys)
                    {
                        Key(text, key, "    ", oneLine: false);
                    }

                    if (token.Keys.Count == 0)
                    {
                        foreach (var problem in token.Problems.Where(p => p.Severity != ContractNames.Of(Severity.Info)))
                        {
                            text.Line($"    {new Painted(Ink.Bold, "cause ")}{problem.Message}");
                        }
                    }
                }

                break;
            default:
                text.Append($"  {Outcome(reader.State, null)}");
                if (reader.Error is { } error)
                {
                    text.Append($": {error}");
                }

                text.NewLine();
                break;
        }
    }

    /// <summary>A key's verdict, its headline cause (the first error, else warning) and its first fix.</summary>
    private static void Key(StyledText text, KeyEntry key, string indent, bool oneLine)
    {
        text.Append($"{indent}key \"{key.Label}\" {ReportText.KeySize(key)}  {ReportText.Verdict(key.Verdict)}{ReportText.Unconfirmed(key.Confirmed)}  TLS 1.3 {ReportText.YesNo(key.Tls13.Capable)}  TLS 1.2 {ReportText.YesNo(key.Tls12.Capable)}");
        var cause = key.Problems.FirstOrDefault(p => p.Severity == ContractNames.Of(Severity.Error))
            ?? key.Problems.FirstOrDefault(p => p.Severity == ContractNames.Of(Severity.Warning));
        var fix = key.Remediation.FirstOrDefault();
        void Separator()
        {
            if (oneLine)
            {
                text.Append("  ");
            }
            else
            {
                text.NewLine().Append($"{indent}  ");
            }
        }

        if (cause is not null)
        {
            Separator();
            text.Append($"{new Painted(Ink.Bold, "cause ")}{cause.Message}{new Painted(Ink.Dim, $" [{cause.Code}]")}");
        }

        if (fix is not null)
        {
            Separator();
            text.Append($"{new Painted(Ink.Bold, "fix   ")}[{fix.Side}] {fix.Action}");
        }

        if (!oneLine)
        {
            text.NewLine();
        }
    }

    private static Painted Outcome(string state, string? verdict) => state switch
    {
        ReaderStateNames.Verdict when verdict is not null => ReportText.Verdict(verdict),
        ReaderStateNames.ModuleFailed => new(Ink.Red | Ink.Bold, "MODULE FAILED"),
        ReaderStateNames.NoBinding => new(Ink.Yellow | Ink.Bold, "NO BINDING"),
        ReaderStateNames.RemovedDuringProbe => new(Ink.Yellow | Ink.Bold, "REMOVED DURING PROBE"),
        _ => new(Ink.None, state),
    };

    private string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
