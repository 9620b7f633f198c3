using System.Globalization;
using System.Text;
using TokenService.Contracts;
using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Watch;

/// <summary>
/// The technician's view of the watcher: a whole screen (readers, card and ATR, and for a card present its
/// verdict per key with the headline cause and the fix), or one block of lines per event when the output is
/// not a terminal. Pure: strings in, strings out.
/// </summary>
internal sealed class WatchRenderer(bool color, TimeZoneInfo zone)
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Cyan = "\u001b[36m";

    /// <summary>How many finished checks the screen lists under the readers.</summary>
    private const int RecentChecks = 5;

    public string Screen(IReadOnlyList<ReaderStateEntry> readers, IReadOnlyList<CheckHistoryEntry> history, string? serviceLost, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var service = serviceLost is null ? Paint(Green, "pcscd ok") : Paint(Red + Bold, $"pcscd UNREACHABLE ({serviceLost}), reconnecting");
        text.Append(Paint(Bold, "TokenService watch")).Append("  ").Append(service)
            .Append(CultureInfo.InvariantCulture, $"  {readers.Count} reader(s)  {Clock(now)}").Append(Paint(Dim, "   Ctrl-C quits")).Append('\n');
        if (readers.Count == 0)
        {
            text.Append('\n').Append(serviceLost is null ? "No reader attached." : "Readers unknown until pcscd answers.").Append('\n');
        }

        foreach (var reader in readers)
        {
            text.Append('\n');
            Reader(text, reader);
        }

        if (history.Count > 0)
        {
            text.Append('\n').Append(Paint(Bold, "Recent checks")).Append('\n');
            foreach (var check in history.Take(RecentChecks))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  {Clock(check.StartedAt)}  {check.Reader,-20} {check.TokenLabel ?? "-",-18} {Outcome(check.State, check.Verdict)}  {check.DurationMilliseconds:F0} ms\n");
            }
        }

        return text.ToString();
    }

    /// <summary>One event as lines for a log or a pipe; a verdict adds one line per key.</summary>
    public string Event(WatchEventEntry entry)
    {
        var text = new StringBuilder();
        text.Append(Clock(entry.At)).Append(' ').Append(CultureInfo.InvariantCulture, $"{entry.Type,-16}");
        switch (entry.Type)
        {
            case WatchEventTypes.ServiceLost:
                text.Append(Paint(Red, entry.Reason ?? ""));
                break;
            case WatchEventTypes.ServiceRestored:
                text.Append(CultureInfo.InvariantCulture, $"pcscd answers again after {entry.GapMilliseconds:F0} ms");
                break;
            case WatchEventTypes.EventsDropped:
                text.Append(CultureInfo.InvariantCulture, $"{entry.Reason} events lost (output too slow)");
                break;
            case WatchEventTypes.CardInserted:
                text.Append(entry.ReaderName).Append("  ATR ").Append(entry.State?.Atr);
                break;
            case WatchEventTypes.ProbeStarted:
                text.Append(entry.ReaderName).Append("  reading the token");
                break;
            case WatchEventTypes.Verdict when entry.Check is { } check:
                text.Append(entry.ReaderName).Append("  ").Append(Outcome(check.State, check.Verdict))
                    .Append(CultureInfo.InvariantCulture, $"  token {check.TokenLabel ?? "-"}  {check.DurationMilliseconds:F0} ms");
                if (check.Error is { } error)
                {
                    text.Append("  ").Append(error);
                }

                foreach (var token in entry.State?.Report?.Tokens ?? [])
                {
                    foreach (var key in token.Keys)
                    {
                        text.Append('\n');
                        Key(text, key, "    ", oneLine: true);
                    }
                }

                break;
            default:
                text.Append(entry.ReaderName);
                break;
        }

        return text.Append('\n').ToString();
    }

    private void Reader(StringBuilder text, ReaderStateEntry reader)
    {
        text.Append(Paint(Bold + Cyan, reader.Name));
        if (!reader.CardPresent)
        {
            text.Append("  ").Append(reader.State == ReaderStateNames.RemovedDuringProbe
                ? Paint(Yellow, "card removed while it was being read: no verdict, reinsert it")
                : Paint(Dim, "no card")).Append('\n');
            return;
        }

        text.Append("  card ATR ").Append(reader.Atr is { Length: > 0 } atr ? atr : "(mute)").Append('\n');
        switch (reader.State)
        {
            case ReaderStateNames.Probing:
                text.Append("  ").Append(Paint(Yellow, "reading the token ...")).Append('\n');
                break;
            case ReaderStateNames.Verdict when reader.Report is { } report:
                foreach (var token in report.Tokens)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  token \"{token.Label}\" {token.Manufacturer} {token.Model}   ").Append(Badge(token.Verdict)).Append(token.Confirmed || token.Keys.Count == 0 ? "" : Paint(Yellow, " (unconfirmed: no PIN)")).Append('\n');
                    foreach (var key in token.Keys)
                    {
                        Key(text, key, "    ", oneLine: false);
                    }

                    if (token.Keys.Count == 0)
                    {
                        foreach (var problem in token.Problems.Where(p => p.Severity != ContractNames.Of(Severity.Info)))
                        {
                            text.Append("    ").Append(Paint(Bold, "cause ")).Append(problem.Message).Append('\n');
                        }
                    }
                }

                break;
            default:
                text.Append("  ").Append(Outcome(reader.State, null));
                if (reader.Error is { } error)
                {
                    text.Append(": ").Append(error);
                }

                text.Append('\n');
                break;
        }
    }

    /// <summary>A key's verdict, its headline cause (the first error, else warning) and its first fix.</summary>
    private void Key(StringBuilder text, KeyEntry key, string indent, bool oneLine)
    {
        var size = key.KeyType switch
        {
            "RSA" => $"RSA-{key.Bits}",
            "EC" => $"EC {key.Curve}",
            _ => key.Curve ?? key.KeyType,
        };
        text.Append(indent).Append(CultureInfo.InvariantCulture, $"key \"{key.Label}\" {size}  ").Append(Badge(key.Verdict)).Append(key.Confirmed ? "" : Paint(Yellow, " (unconfirmed)"))
            .Append(CultureInfo.InvariantCulture, $"  TLS 1.3 {YesNo(key.Tls13.Capable)}  TLS 1.2 {YesNo(key.Tls12.Capable)}");
        var cause = key.Problems.FirstOrDefault(p => p.Severity == ContractNames.Of(Severity.Error))
            ?? key.Problems.FirstOrDefault(p => p.Severity == ContractNames.Of(Severity.Warning));
        var fix = key.Remediation.FirstOrDefault();
        var separator = oneLine ? "  " : "\n" + indent + "  ";
        if (cause is not null)
        {
            text.Append(separator).Append(Paint(Bold, "cause ")).Append(cause.Message).Append(Paint(Dim, $" [{cause.Code}]"));
        }

        if (fix is not null)
        {
            text.Append(separator).Append(Paint(Bold, "fix   ")).Append(CultureInfo.InvariantCulture, $"[{fix.Side}] {fix.Action}");
        }

        if (!oneLine)
        {
            text.Append('\n');
        }
    }

    private string Outcome(string state, string? verdict) => state switch
    {
        ReaderStateNames.Verdict when verdict is not null => Badge(verdict),
        ReaderStateNames.ModuleFailed => Paint(Red + Bold, "MODULE FAILED"),
        ReaderStateNames.NoBinding => Paint(Yellow + Bold, "NO BINDING"),
        ReaderStateNames.RemovedDuringProbe => Paint(Yellow + Bold, "REMOVED DURING PROBE"),
        _ => state,
    };

    private string Badge(string verdict) => !ContractNames.TryParseVerdict(verdict, out var known)
        ? Paint(Red + Bold, verdict.ToUpperInvariant())
        : known switch
        {
            Verdict.Compatible => Paint(Green + Bold, "COMPATIBLE"),
            Verdict.Tls12Only => Paint(Yellow + Bold, "TLS 1.2 ONLY"),
            Verdict.ClientDependent => Paint(Yellow + Bold, "CLIENT-DEPENDENT"),
            Verdict.NoVisibleKey => Paint(Yellow + Bold, "NO VISIBLE KEY"),
            Verdict.Incompatible => Paint(Red + Bold, "INCOMPATIBLE"),
        };

    private string YesNo(bool yes) => yes ? Paint(Green, "yes") : Paint(Red, "no");

    private string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private string Paint(string code, string text) => color ? code + text + Reset : text;
}
