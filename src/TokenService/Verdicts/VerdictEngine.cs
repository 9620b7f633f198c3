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
    public static ModuleVerdict Judge(ModuleSnapshot module, ServerModel server, DateTimeOffset now, ISigningEvidence? evidence = null)
    {
        var tokens = module.Tokens.Select(t => JudgeToken(t, server, now, evidence)).ToImmutableArray();
        return new ModuleVerdict(module, tokens, VerdictOrder.Worst(tokens.Select(t => t.Verdict)));
    }

    public static TokenVerdict JudgeToken(TokenSnapshot token, ServerModel server, DateTimeOffset now, ISigningEvidence? evidence = null)
    {
        var mechanisms = new TokenMechanisms(token);
        var facts = KeyFacts.FromToken(token);
        // Keys seen without login count too: libp11 fails on the EdDSA key whether or not this check could see it.
        var holdsEdDsa = facts.Any(k => k.Kind == KeyKind.EcEdwards);
        var keys = facts
            .Select(k => evidence is null ? k : k with { SigningFailures = evidence.FailuresFor(token, k.Key) })
            .Select(k => JudgeKey(Evaluate(k, mechanisms, server, now, holdsEdDsa), mechanisms, server, now))
            .ToImmutableArray();
        var problems = TokenFindings.Find(token, holdsEdDsa).ToImmutableArray();
        var hidden = TokenFindings.PrivateObjectsHidden(token);
        var verdict = problems.Any(p => p.Severity == Severity.Error) ? Verdict.Incompatible
            : keys.IsEmpty && hidden ? Verdict.NoVisibleKey
            : VerdictOrder.Best(keys.Select(k => k.Verdict));
        var remedies = Remedies.For(problems)
            .Concat(keys.Where(k => k.Verdict != Verdict.Compatible || verdict != Verdict.Compatible).SelectMany(k => k.Remedies))
            .DistinctBy(r => (r.Code, r.Side))
            .ToImmutableArray();
        return new TokenVerdict(token, keys, problems, hidden, verdict, remedies);
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

    public static KeyVerdict JudgeKey(KeyEvaluation evaluation, TokenMechanisms mechanisms, ServerModel server, DateTimeOffset now)
    {
        var problems = KeyFindings.Find(evaluation, mechanisms, server, now);
        return new KeyVerdict(evaluation, problems, Decide(evaluation, problems, server), [.. Remedies.For(problems)]);
    }

    /// <summary>
    /// A key is compatible when some real client completes TLS 1.3 with it against the server model and a
    /// scheme it can make is offered; tls12-only when that holds for TLS 1.2 only. An error-level problem
    /// (certificate, CKA_SIGN, key size) makes it incompatible whatever the clients.
    /// </summary>
    public static Verdict Decide(KeyEvaluation e, IEnumerable<Problem> problems, ServerModel server)
    {
        if (problems.Any(p => p.Severity == Severity.Error))
        {
            return Verdict.Incompatible;
        }

        bool Works(TlsVersion v, ImmutableArray<SchemeEvaluation> evals) =>
            evals.Any(s => s.Usable && server.Offers(s.Scheme, v))
            && e.Clients.Any(c => (v == TlsVersion.Tls13 ? c.Tls13 : c.Tls12).Ok);

        return Works(TlsVersion.Tls13, e.Tls13) ? Verdict.Compatible
            : Works(TlsVersion.Tls12, e.Tls12) ? Verdict.Tls12Only
            : Verdict.Incompatible;
    }
}
