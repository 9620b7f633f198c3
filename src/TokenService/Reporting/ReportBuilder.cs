using System.Collections.Immutable;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.SelfTest;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>
/// Turns a module snapshot into the contract report: pure, no I/O; the clock comes from a TimeProvider
/// (certificate dates). A self-test report, when given, is one more input: its failures are facts about the
/// keys (<see cref="KeyFacts.SigningFailures"/>) that every scheme table and client prediction is computed from.
/// </summary>
internal static class ReportBuilder
{
    public static TokenReport Build(ModuleSnapshot module, ServerModel server, TimeProvider time, SelfTestReport? selfTest = null)
    {
        var now = time.GetUtcNow();
        var tokens = module.Tokens.Select(t => BuildToken(t, server, now, selfTest)).ToList();
        return new TokenReport
        {
            GeneratedAt = now,
            Module = new ModuleEntry
            {
                Path = module.ModulePath,
                Description = module.LibraryDescription,
                Manufacturer = module.ManufacturerId,
                CryptokiVersion = module.CryptokiVersion,
                LibraryVersion = module.LibraryVersion,
            },
            Server = ContractMapping.Server(server),
            Tokens = tokens,
            Verdict = Verdict.Worst(tokens.Select(t => t.Verdict)),
        };
    }

    public static TokenEntry BuildToken(TokenSnapshot token, ServerModel server, DateTimeOffset now, SelfTestReport? selfTest = null)
    {
        var mechanisms = new TokenMechanisms(token);
        var holdsEdDsa = token.PrivateKeys.Any(k => k.Kind == KeyKind.EcEdwards);
        var keys = KeyFacts.FromToken(token)
            .Select(k => selfTest is null ? k : k with { SigningFailures = selfTest.FailuresFor(token, k.Key) })
            .Select(k => BuildKey(Evaluate(k, mechanisms, server, now, holdsEdDsa), mechanisms, server, now) with
            {
                SelfTest = selfTest is null ? null : [.. selfTest.For(token, k.Key).Select(ContractMapping.SelfTest)],
            })
            .ToList();
        var problems = TokenFindings.Find(token, holdsEdDsa).ToList();
        var verdict = problems.Any(p => p.Severity == Severity.Error) ? Verdict.Incompatible : Verdict.Best(keys.Select(k => k.Verdict));
        var remedies = Remedies.For(problems)
            .Concat(keys.Where(k => k.Verdict != Verdict.Compatible || verdict != Verdict.Compatible).SelectMany(k => k.Remediation).Select(ContractMapping.Remedy))
            .DistinctBy(r => (r.Code, r.Side));
        return new TokenEntry
        {
            SlotId = token.SlotId,
            SlotDescription = token.SlotDescription,
            Label = token.Label,
            SerialNumber = token.SerialNumber,
            Manufacturer = token.Manufacturer,
            Model = token.Model,
            Flags = TokenFlagNames.Of(token.Flags),
            PinStatus = TokenFlagNames.PinStatus(token.Flags),
            Login = ContractMapping.Login(token.Login),
            PrivateObjectsHidden = TokenFindings.PrivateObjectsHidden(token),
            Mechanisms = ContractMapping.Mechanisms(token),
            Keys = keys,
            Problems = [.. problems.Select(ContractMapping.Problem)],
            Verdict = verdict,
            Remediation = [.. remedies.Select(ContractMapping.Remedy)],
        };
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

    /// <summary>
    /// A key is compatible when some real client completes TLS 1.3 with it against the server model and a
    /// scheme it can make is offered; tls12-only when that holds for TLS 1.2 only. An error-level problem
    /// (certificate, CKA_SIGN, key size) makes it incompatible whatever the clients.
    /// </summary>
    public static string KeyVerdict(KeyEvaluation e, IEnumerable<Problem> problems, ServerModel server)
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

    private static KeyEntry BuildKey(KeyEvaluation e, TokenMechanisms mechanisms, ServerModel server, DateTimeOffset now)
    {
        var problems = KeyFindings.Find(e, mechanisms, server, now);
        var key = e.Key;
        return new KeyEntry
        {
            Label = key.Key.Label,
            Id = Convert.ToHexStringLower(key.Key.Id.AsSpan()),
            KeyType = key.Kind switch
            {
                KeyKind.Rsa => "RSA",
                KeyKind.Ec => "EC",
                KeyKind.EcEdwards => "EC_EDWARDS",
                _ => "OTHER",
            },
            Bits = key.Bits,
            Curve = key.Curve,
            Sign = key.Key.Sign,
            AlwaysAuthenticate = key.Key.AlwaysAuthenticate,
            Private = key.Key.Private,
            AllowedMechanisms = key.HasAllowedMechanisms ? [.. key.Key.AllowedMechanisms.Select(Mechanisms.NameOf)] : null,
            Certificate = ContractMapping.Certificate(key),
            Tls13 = ContractMapping.Capability(e.Tls13),
            Tls12 = ContractMapping.Capability(e.Tls12),
            Clients = [.. e.Clients.Select(ContractMapping.Client)],
            Problems = [.. problems.Select(ContractMapping.Problem)],
            Verdict = KeyVerdict(e, problems, server),
            Remediation = [.. Remedies.For(problems).Select(ContractMapping.Remedy)],
        };
    }
}
