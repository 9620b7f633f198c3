namespace TokenService.Verdicts;

/// <summary>The three verdicts of contract v1, from best to worst.</summary>
internal static class Verdict
{
    public const string Compatible = "compatible";
    public const string Tls12Only = "tls12-only";
    public const string Incompatible = "incompatible";

    public static int Rank(string verdict) => verdict switch
    {
        Compatible => 0,
        Tls12Only => 1,
        _ => 2,
    };

    public static string Best(IEnumerable<string> verdicts) => verdicts.DefaultIfEmpty(Incompatible).MinBy(Rank)!;

    public static string Worst(IEnumerable<string> verdicts) => verdicts.DefaultIfEmpty(Incompatible).MaxBy(Rank)!;
}
