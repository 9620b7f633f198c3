using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;

namespace TokenService.Verdicts;

/// <summary>
/// Judges snapshots: pure, no I/O. The time is given (certificate dates); signing evidence, when given, is one
/// more input about the keys.
/// </summary>
internal static class VerdictEngine
{
    public static ModuleVerdict Judge(
        ModuleSnapshot module, ServerModel server, DateTimeOffset now, ISigningEvidence? evidence = null, ClientTargets? targets = null)
    {
        targets ??= ClientTargets.All;
        var tokens = module.Tokens.Where(IsInitialized).Select(t => JudgeToken(t, server, now, evidence, targets)).ToImmutableArray();
        var uninitialized = module.Tokens.Where(t => !IsInitialized(t)).ToImmutableArray();
        return new ModuleVerdict(module, tokens, VerdictOrder.Worst(tokens.Select(t => t.Verdict)), targets, uninitialized);
    }

    /// <summary>
    /// CKF_TOKEN_INITIALIZED (PKCS#11 v2.40 §3.2 CK_TOKEN_INFO): a token without it was never set up (C_InitToken)
    /// and holds nothing, such as the free slot SoftHSM always offers. It has no key to judge, so it takes no
    /// part in the module's verdict: it is listed apart instead of reading as the worst token.
    /// </summary>
    public static bool IsInitialized(TokenSnapshot token) => (token.Flags & TokenFlags.TokenInitialized) != 0;

    public static TokenVerdict JudgeToken(
        TokenSnapshot token, ServerModel server, DateTimeOffset now, ISigningEvidence? evidence = null, ClientTargets? targets = null)
    {
        targets ??= ClientTargets.All;
        var mechanisms = new TokenMechanisms(token);
        var facts = KeyFacts.FromToken(token);
        // Keys seen without login count too: libp11 fails on the EdDSA key whether or not this check could see it.
        var holdsEdDsa = facts.Any(k => k.Kind == KeyKind.EcEdwards);
        var keys = facts
            .Select(k => evidence is null ? k : k with { SigningFailures = evidence.FailuresFor(token, k.Key) })
            .Select(k => JudgeKey(Evaluate(k, mechanisms, server, now, holdsEdDsa), mechanisms, server, now, targets))
            .ToImmutableArray();
        var problems = TokenFindings.Find(token, holdsEdDsa).ToImmutableArray();
        var hidden = TokenFindings.PrivateObjectsHidden(token);
        // A client may use whichever key works for it: each target counts at the best version any usable key gives it.
        var blocked = problems.Any(p => p.Severity == Severity.Error);
        var support = ClientSupport.Of(targets, blocked ? [] : [.. keys.Where(k => !Blocks(k.Problems)).SelectMany(k => k.Evaluation.Clients)]);
        var verdict = blocked ? Verdict.Incompatible
            : keys.IsEmpty && hidden ? Verdict.NoVisibleKey
            : support.Headline;
        var remedies = Remedies.For(problems)
            .Concat(keys.Where(k => k.Verdict != Verdict.Compatible || verdict != Verdict.Compatible).SelectMany(k => k.Remedies))
            .DistinctBy(r => (r.Code, r.Side))
            .ToImmutableArray();
        return new TokenVerdict(token, keys, problems, hidden, verdict, remedies, support);
    }

    public static KeyEvaluation Evaluate(KeyFacts key, TokenMechanisms mechanisms, ServerModel server, DateTimeOffset now, bool holdsEdDsa)
    {
        var context = new ClientContext(key, mechanisms, server, now, holdsEdDsa);
        return new KeyEvaluation(
            key,
            SchemeRules.EvaluateAll(key, mechanisms, server, TlsVersion.Tls13),
            SchemeRules.EvaluateAll(key, mechanisms, server, TlsVersion.Tls12),
            [.. ClientStacks.All.Select(s => new ClientPrediction(s, s.Predict(context, TlsVersion.Tls13), s.Predict(context, TlsVersion.Tls12)))]);
    }

    public static KeyVerdict JudgeKey(KeyEvaluation evaluation, TokenMechanisms mechanisms, ServerModel server, DateTimeOffset now, ClientTargets? targets = null)
    {
        var problems = KeyFindings.Find(evaluation, mechanisms, server, now);
        var support = ClientSupport.Of(targets ?? ClientTargets.All, Blocks(problems) ? [] : evaluation.Clients);
        return new KeyVerdict(evaluation, problems, Decide(problems, support), [.. Remedies.For(problems)], support);
    }

    /// <summary>
    /// The key's headline for the target clients (<see cref="ClientSupport.Headline"/>). An error-level problem
    /// (certificate, CKA_SIGN, key size) makes it incompatible whatever the clients.
    /// </summary>
    public static Verdict Decide(IEnumerable<Problem> problems, ClientSupport support) =>
        Blocks(problems) ? Verdict.Incompatible : support.Headline;

    private static bool Blocks(IEnumerable<Problem> problems) => problems.Any(p => p.Severity == Severity.Error);
}
