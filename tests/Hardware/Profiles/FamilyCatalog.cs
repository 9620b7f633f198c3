using System.Text.Json;
using TokenService.Tests.Hardware.Infrastructure;

namespace TokenService.Tests.Hardware.Profiles;

/// <summary>src/TokenService.Server/SmartCards/families.json read as data (the program's own reader is tested in tests/Unit).</summary>
internal static class FamilyCatalog
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(
        File.ReadAllText(Repo.Path("src", "TokenService.Server", "SmartCards", "families.json")),
        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }));

    public static IEnumerable<JsonElement> Families() => Document.Value.RootElement.GetProperty("families").EnumerateArray();

    public static JsonElement Family(string id) => Families().Single(f => f.GetProperty("id").GetString() == id);

    /// <summary>What a family profile expects: the verdict the catalog gives the family's first (typical) key.</summary>
    public static string ExpectedVerdict(string id) => Family(id).GetProperty("keys")[0].GetProperty("expectedVerdict").GetString()!;
}
