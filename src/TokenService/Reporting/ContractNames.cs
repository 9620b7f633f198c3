using TokenService.Verdicts;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>
/// The kebab-case names of the engine's enums in contract v1: the one place they are spelt. Every switch lists
/// every member (a new member is a compile error here, CS8509), and a name read back from a report that is not
/// one of them is refused, never taken for another.
/// </summary>
internal static class ContractNames
{
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Compatible => "compatible",
        Verdict.Tls12Only => "tls12-only",
        Verdict.ClientDependent => "client-dependent",
        Verdict.NoVisibleKey => "no-visible-key",
        Verdict.Incompatible => "incompatible",
    };

    public static string Of(HiddenAttribute hidden) => hidden switch
    {
        HiddenAttribute.PrivateKey => "private-key",
        HiddenAttribute.Sign => "CKA_SIGN",
        HiddenAttribute.AllowedMechanisms => "CKA_ALLOWED_MECHANISMS",
        HiddenAttribute.AlwaysAuthenticate => "CKA_ALWAYS_AUTHENTICATE",
    };

    public static string Of(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Info => "info",
    };

    public static string Of(RemedySide side) => side switch
    {
        RemedySide.Card => "card",
        RemedySide.Client => "client",
        RemedySide.Server => "server",
    };

    /// <summary>A verdict name from a report (e.g. a probe host's answer); false for any other text.</summary>
    public static bool TryParseVerdict(string? name, out Verdict verdict) => TryParse(name, Enum.GetValues<Verdict>(), Of, out verdict);

    public static bool TryParseSeverity(string? name, out Severity severity) => TryParse(name, Enum.GetValues<Severity>(), Of, out severity);

    public static bool TryParseSide(string? name, out RemedySide side) => TryParse(name, Enum.GetValues<RemedySide>(), Of, out side);

    private static bool TryParse<T>(string? name, T[] values, Func<T, string> nameOf, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in values)
        {
            if (nameOf(candidate) == name)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
