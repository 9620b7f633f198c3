using System.Globalization;
using System.Net;
using System.Text;
using TokenService.Contracts;

namespace TokenService.Fleet;

/// <summary>
/// The fleet summary for a person: a plain-text table, or one self-contained HTML page (no script, no external
/// file; every text HTML-encoded). Both show the same sections as the JSON, in the same order. Pure.
/// </summary>
internal static class FleetRenderer
{
    /// <summary>How many card-side-only cards and problem inputs the table and the page list (the JSON lists more).</summary>
    private const int Listed = 20;

    public static string Table(FleetReport fleet)
    {
        var text = new StringBuilder();
        var sections = Sections(fleet);
        foreach (var (title, head, rows, footer) in sections)
        {
            text.Append(title).Append('\n');
            if (rows.Count == 0)
            {
                text.Append("  none\n\n");
                continue;
            }

            var widths = head.Select((h, i) => rows.Select(r => i < r.Length - 1 ? r[i].Length : 0).Append(h.Length).Max()).ToArray();
            Line(text, head, widths);
            foreach (var row in rows)
            {
                Line(text, row, widths);
            }

            if (footer is not null)
            {
                text.Append("  ").Append(footer).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Html(FleetReport fleet)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>TokenService fleet report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}")
            .Append("table{border-collapse:collapse;margin:.3rem 0 1.2rem;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}")
            .Append("th{background:#eaeef2}td.n{text-align:right;font-variant-numeric:tabular-nums}h2{font-size:1.1rem;margin-top:1.5rem}p.note{color:#57606a}")
            .Append("</style></head><body><h1>TokenService fleet report</h1>\n");
        foreach (var (title, head, rows, footer) in Sections(fleet))
        {
            html.Append("<h2>").Append(Encode(title)).Append("</h2>\n");
            if (rows.Count == 0)
            {
                html.Append("<p class=\"note\">none</p>\n");
                continue;
            }

            html.Append("<table><thead><tr>");
            foreach (var cell in head)
            {
                html.Append("<th scope=\"col\">").Append(Encode(cell)).Append("</th>");
            }

            html.Append("</tr></thead><tbody>\n");
            foreach (var row in rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    html.Append(IsNumber(cell) ? "<td class=\"n\">" : "<td>").Append(Encode(cell)).Append("</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody></table>\n");
            if (footer is not null)
            {
                html.Append("<p class=\"note\">").Append(Encode(footer)).Append("</p>\n");
            }
        }

        return html.Append("</body></html>\n").ToString();
    }

    private sealed record Section(string Title, string[] Head, IReadOnlyList<string[]> Rows, string? Footer);

    /// <summary>
    /// A check document names the token's manufacturer and model (PKCS#11 CK_TOKEN_INFO), not the card family: the
    /// family comes from the ATR, which `check` never sees through a PKCS#11 module. The title says so.
    /// </summary>
    public const string ModelsTitle = "Cards by token model (check documents carry no card family: PKCS#11 shows no ATR)";

    private static List<Section> Sections(FleetReport fleet)
    {
        var inputs = fleet.Inputs;
        var sections = new List<Section>
        {
            new(
                string.Create(CultureInfo.InvariantCulture, $"Inputs: {inputs.Documents} read, {inputs.Checks} check documents, {inputs.Malformed} malformed, {inputs.Foreign} foreign, {inputs.Oversized} oversized, {inputs.Unreadable} unreadable"),
                ["", "total", "by verdict"],
                [
                    ["devices", N(fleet.Devices.Total), Verdicts(fleet.Devices)],
                    ["cards", N(fleet.Cards.Total), Verdicts(fleet.Cards)],
                ],
                fleet.CardObservations != fleet.Cards.Total
                    ? string.Create(CultureInfo.InvariantCulture, $"{fleet.CardObservations} token entries read; a card seen on several devices counts once (its newest report)")
                    : null),
            new(
                ModelsTitle,
                ["manufacturer", "model", "cards", "by verdict"],
                [.. fleet.Models.Select(m => new[] { m.Manufacturer, m.Model, N(m.Cards), Counts(m.ByVerdict) })],
                null),
            new(
                "Cards that do not work, by cause",
                ["cause", "cards"],
                [.. fleet.Causes.Select(c => new[] { c.Name, N(c.Count) })],
                null),
        };
        foreach (var (side, title) in (ReadOnlySpan<(string, string)>)[("server", "Server-side fixes"), ("client", "Client-side fixes"), ("card", "Card-side fixes")])
        {
            sections.Add(new Section(
                title + ": how many cards that do not work each one alone makes work",
                ["makes work", "names it", "code", "action"],
                [.. fleet.Remediations.Where(r => r.Side == side).Select(r => new[] { N(r.CardsItMakesWork), N(r.CardsNamingIt), r.Code, r.Action })],
                null));
        }

        var only = fleet.CardSideOnly;
        sections.Add(new Section(
            string.Create(CultureInfo.InvariantCulture, $"Cards only a card-side fix (re-issue) makes work: {only.Count} ({Counts(only.ByCause)})"),
            ["manufacturer", "model", "serial", "verdict", "cause", "source"],
            [.. only.Cards.Take(Listed).Select(c => new[] { c.Manufacturer, c.Model, c.SerialNumber, c.Verdict, c.Cause ?? "", c.Source })],
            only.Count > Listed ? string.Create(CultureInfo.InvariantCulture, $"{only.Count - Listed} more: see --format json") : null));
        var problems = inputs.Malformed + inputs.Foreign + inputs.Oversized + inputs.Unreadable;
        sections.Add(new Section(
            "Inputs that are not check documents",
            ["source", "kind", "detail"],
            [.. inputs.Problems.Take(Listed).Select(p => new[] { p.Source, p.Kind, p.Detail })],
            problems > Listed ? string.Create(CultureInfo.InvariantCulture, $"{problems - Listed} more: see --format json") : null));
        return sections;
    }

    private static string Verdicts(FleetTallyEntry tally) =>
        Counts(tally.ByVerdict) + (tally.UnknownVerdicts > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({tally.UnknownVerdicts} with a verdict this version does not know)") : "");

    private static string Counts(IReadOnlyList<FleetCountEntry> counts) =>
        string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Count}")));

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsNumber(string cell) => cell.Length > 0 && cell.All(char.IsAsciiDigit);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append(' ');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(i < cells.Length - 1 ? cells[i].PadRight(widths[i]) : cells[i]);
        }

        text.Append('\n');
    }
}
