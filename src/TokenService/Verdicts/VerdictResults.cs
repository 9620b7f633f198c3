using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;

namespace TokenService.Verdicts;

/// <summary>One key judged: what was evaluated, the problems found in it, the verdict that follows and the fixes.</summary>
internal sealed record KeyVerdict(
    KeyEvaluation Evaluation,
    ImmutableArray<Problem> Problems,
    Verdict Verdict,
    ImmutableArray<Remedy> Remedies,
    ClientSupport Support)
{
    public KeyFacts Facts => Evaluation.Key;

    /// <summary>The snapshot of the private key this verdict is about (for an unconfirmed key, the assumed one).</summary>
    public PrivateKeySnapshot Key => Evaluation.Key.Key;

    /// <summary>False for a key seen without login: the verdict rests on assumptions named in <see cref="KeyFacts.Hidden"/>.</summary>
    public bool Confirmed => Facts.Confirmed;
}

/// <summary>One token judged: its keys, the token's own problems, the token's verdict (its best key's) and the fixes.</summary>
internal sealed record TokenVerdict(
    TokenSnapshot Token,
    ImmutableArray<KeyVerdict> Keys,
    ImmutableArray<Problem> Problems,
    bool PrivateObjectsHidden,
    Verdict Verdict,
    ImmutableArray<Remedy> Remedies,
    ClientSupport Support)
{
    /// <summary>
    /// True when every verdict here rests on what the token showed: false when a key is unconfirmed, or when the
    /// token hides its objects and shows no key at all.
    /// </summary>
    public bool Confirmed => Keys.All(k => k.Confirmed) && !(PrivateObjectsHidden && Keys.IsEmpty);
}

/// <summary>
/// Every initialized token of a module judged; the module's verdict is its worst token's. Tokens without
/// CKF_TOKEN_INITIALIZED are not judged (<see cref="VerdictEngine.IsInitialized"/>) and are listed in
/// <see cref="Uninitialized"/>.
/// </summary>
internal sealed record ModuleVerdict(
    ModuleSnapshot Module, ImmutableArray<TokenVerdict> Tokens, Verdict Verdict, ClientTargets Targets, ImmutableArray<TokenSnapshot> Uninitialized)
{
    /// <summary>True when a token refused the PIN (the one login failed; it was not retried).</summary>
    public bool LoginFailed => Tokens.Any(t => t.Token.Login == LoginOutcome.Failed);
}

/// <summary>
/// What signing with the keys showed (the self-test): failures through routes the lists allow, which every scheme
/// table and client prediction is then computed from (<see cref="KeyFacts.SigningFailures"/>).
/// </summary>
internal interface ISigningEvidence
{
    ImmutableArray<ObservedSigningFailure> FailuresFor(TokenSnapshot token, PrivateKeySnapshot key);
}
