namespace TokenService.Verdicts;

/// <summary>
/// The verdicts, from best to worst: the declaration order is the rank. Their contract names live in one place
/// (<c>Reporting/ContractNames</c>).
/// </summary>
internal enum Verdict
{
    /// <summary>Every target client completes TLS 1.3 client authentication with the key (see ClientSupport.Headline).</summary>
    Compatible,
    /// <summary>Every target client completes at least TLS 1.2, and some cannot do TLS 1.3.</summary>
    Tls12Only,
    /// <summary>
    /// The target clients disagree beyond the TLS version: some complete client authentication (TLS 1.3 or 1.2),
    /// some fail in both versions.
    /// </summary>
    ClientDependent,
    /// <summary>
    /// A token only: it hides its private objects until login and shows no certificate or public key either, so
    /// nothing can be judged. Never incompatible for lack of a PIN; worse than any verdict about a key that works,
    /// better than one that fails.
    /// </summary>
    NoVisibleKey,
    /// <summary>No target client authenticates with it, or a blocking problem.</summary>
    Incompatible,
}

internal static class VerdictOrder
{
    /// <summary>The best of several verdicts (a token is as good as its best key); incompatible when there are none.</summary>
    public static Verdict Best(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Incompatible).Min();

    /// <summary>The worst of several verdicts (a module is as good as its worst token); incompatible when there are none.</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Incompatible).Max();
}
