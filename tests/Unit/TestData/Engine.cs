using System.Collections.Immutable;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;

namespace TokenService.Tests.Unit.TestData;

/// <summary>Runs the pure engine over a test token the way ReportBuilder does, at <see cref="TestClock.Now"/>.</summary>
internal static class Engine
{
    public static DateTimeOffset Now => TestClock.Provider().GetUtcNow();

    /// <summary>The facts of the token's only (or first) key.</summary>
    public static KeyFacts Key(TokenSnapshot token) => KeyFacts.FromToken(token)[0];

    public static KeyEvaluation Evaluate(TokenSnapshot token, ServerModel? server = null)
    {
        var key = Key(token);
        return VerdictEngine.Evaluate(key, new TokenMechanisms(token), server ?? ServerModel.StockOpenSsl3, Now, HoldsEdDsa(token));
    }

    public static SchemeEvaluation Scheme(TokenSnapshot token, Proto version, string scheme, ServerModel? server = null)
    {
        Assert.True(SignatureSchemes.TryGet(scheme, out var s), $"no scheme {scheme}");
        return SchemeRules.Evaluate(s, version.ToEngine(), Key(token), new TokenMechanisms(token), server ?? ServerModel.StockOpenSsl3);
    }

    public static ClientOutcome Predict(string stack, TokenSnapshot token, Proto version, ServerModel? server = null)
    {
        var client = ClientStacks.All.Single(c => c.Name == stack);
        var context = new ClientContext(Key(token), new TokenMechanisms(token), server ?? ServerModel.StockOpenSsl3, Now, HoldsEdDsa(token));
        return client.Predict(context, version.ToEngine());
    }

    public static ImmutableArray<Problem> KeyProblems(TokenSnapshot token, ServerModel? server = null) =>
        KeyFindings.Find(Evaluate(token, server), new TokenMechanisms(token), server ?? ServerModel.StockOpenSsl3, Now);

    public static TokenEntry Report(TokenSnapshot token, ServerModel? server = null) =>
        ReportBuilder.BuildToken(token, server ?? ServerModel.StockOpenSsl3, Now);

    /// <summary>Every problem of the token entry, token-level and key-level.</summary>
    public static IEnumerable<ProblemEntry> AllProblems(TokenEntry entry) => entry.Problems.Concat(entry.Keys.SelectMany(k => k.Problems));

    private static bool HoldsEdDsa(TokenSnapshot token) => token.PrivateKeys.Any(k => k.Kind == KeyKind.EcEdwards);
}

/// <summary>The servers the tests predict against, by name (theory rows name them).</summary>
internal static class Servers
{
    public const string Stock = "stock-openssl3";
    /// <summary>A server whose CertificateRequest lists no PSS (a FIPS-like policy, docs/tls-client-auth.md §4), ECDSA and PKCS#1 only.</summary>
    public const string NoPss = "no-pss";
    /// <summary>A server that offers rsa_pkcs1_sha256_legacy (RFC 9963) after PSS.</summary>
    public const string Legacy = "legacy";
    /// <summary>A server that lists ECDSA schemes only.</summary>
    public const string EcdsaOnly = "ecdsa-only";

    public static ServerModel Get(string name) => name switch
    {
        Stock => ServerModel.StockOpenSsl3,
        NoPss => ServerModel.Given([0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601]),
        Legacy => ServerModel.Given([0x0804, 0x0805, 0x0806, 0x0420, 0x0401]),
        EcdsaOnly => ServerModel.Given([0x0403, 0x0503, 0x0603]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown server"),
    };
}
