using System.Text.Json;
using TokenService.Contracts;

namespace TokenService.Fleet;

/// <summary>
/// Turns the bytes of one input into a check document for <see cref="FleetTally"/>, or into a named problem: never an
/// exception. Unknown properties are ignored (a newer `check` may add fields); a verdict string this version does
/// not know is kept and counted.
/// </summary>
internal static class CheckDocuments
{
    private const int DetailLength = 200;

    public static void Add(string source, ReadOnlySpan<byte> json, FleetTally tally)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        CheckDocument? report;
        try
        {
            report = JsonSerializer.Deserialize(json, CheckDocumentJsonContext.Default.CheckDocument);
        }
        catch (JsonException e)
        {
            if (IsJson(json))
            {
                tally.AddProblem(source, InputProblem.Foreign, Shorten("not a check document: " + e.Message));
            }
            else
            {
                tally.AddProblem(source, InputProblem.Malformed, Shorten("not JSON: " + e.Message));
            }

            return;
        }

        if (report is null)
        {
            tally.AddProblem(source, InputProblem.Foreign, "not a check document: null");
        }
        else if (report.SchemaVersion != TokenReport.CurrentSchemaVersion)
        {
            tally.AddProblem(source, InputProblem.Foreign, $"schemaVersion {report.SchemaVersion}: this version reads {TokenReport.CurrentSchemaVersion}");
        }
        else
        {
            tally.Add(source, report);
        }
    }

    /// <summary>Whether <paramref name="json"/> is one well-formed JSON value (RFC 8259), whatever its shape.</summary>
    private static bool IsJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string detail) => detail.Length <= DetailLength ? detail : detail[..DetailLength] + "...";
}
