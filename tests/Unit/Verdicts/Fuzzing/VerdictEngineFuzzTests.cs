using System.Diagnostics;
using System.Text.Json;
using TokenService.Certificates;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;
using Xunit.Abstractions;

namespace TokenService.Tests.Unit.Verdicts.Fuzzing;

/// <summary>
/// Issue 9 (tests): random and broken snapshots (<see cref="SnapshotFuzzer"/>) through the whole pure path a card's
/// contents take: <see cref="VerdictEngine.Judge"/> and the contract mapping (every tenth case also JSON and the table). No exception may escape,
/// and every private key of every initialized token must come out with a verdict. Reproducible: case N uses
/// <c>new Random(Seed + N)</c>, and a failure names the seed and the case; FUZZ_SEED and FUZZ_CASES override them.
/// </summary>
public sealed class VerdictEngineFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_206;
    private const int DefaultCases = 2000;
    private const int RenderEvery = 10;

    [Fact]
    public void Judge_RandomAndTruncatedSnapshots_NoExceptionAndEveryKeyJudged()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var c) ? c : DefaultCases;
        var clock = Stopwatch.StartNew();
        var keys = 0;

        for (var i = 0; i < cases; i++)
        {
            try
            {
                keys += RunCase(seed + i);
            }
            catch (Exception e)
            {
                Assert.Fail($"fuzz case {i} (seed {seed + i}; rerun with FUZZ_SEED={seed + i} FUZZ_CASES=1): {e}");
            }
        }

        output.WriteLine($"{cases} cases from seed {seed}, {keys} keys judged, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(keys > cases, $"only {keys} keys in {cases} cases: the generator makes too few keys to prove anything");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{cases} cases took {clock.Elapsed}");
    }

    [Fact]
    public void SeedCertificates_MostParseWithTheirOddContents()
    {
        var parsed = SnapshotFuzzer.SeedCertificates.Select(c => CertificateFacts.TryParse(c.AsSpan())).ToList();

        Assert.True(parsed.Count(p => p is not null) >= 40, $"{parsed.Count(p => p is not null)} of {parsed.Count} seed certificates parse");
        Assert.Contains(parsed, p => p is { NotAfter.Year: 9999 });
        Assert.Contains(parsed, p => p is { PublicKeyAlgorithm: "1.2.3.4" });
        Assert.Contains(parsed, p => p is { IsCertificateAuthority: true });
    }

    /// <summary>One case: judge, map, serialize and render; returns how many private keys were judged.</summary>
    private static int RunCase(int seed)
    {
        var fuzzer = new SnapshotFuzzer(new Random(seed));
        var module = fuzzer.Module();
        var server = fuzzer.Server();
        var targets = fuzzer.Targets();
        var evidence = fuzzer.Evidence(module);
        var now = TestClock.Now.AddDays(new Random(~seed).Next(-4000, 4000));

        var judged = VerdictEngine.Judge(module, server, now, evidence, targets);
        var report = ContractMapping.Report(judged, server, now);
        if (seed % RenderEvery == 0)
        {
            // The renderers are slower than the engine: every tenth case goes on to JSON and the table.
            _ = JsonSerializer.Serialize(report, ContractsJsonContext.Default.TokenReport);
            new TableRenderer(TextWriter.Null, color: true).Render(report);
        }

        Assert.True(Enum.IsDefined(judged.Verdict), $"module verdict {judged.Verdict}");
        var initialized = module.Tokens.Where(VerdictEngine.IsInitialized).ToList();
        Assert.Equal(initialized, judged.Tokens.Select(t => t.Token));
        var count = 0;
        foreach (var token in judged.Tokens)
        {
            Assert.True(Enum.IsDefined(token.Verdict), $"token verdict {token.Verdict}");
            Assert.All(token.Keys, k => Assert.True(Enum.IsDefined(k.Verdict), $"key verdict {k.Verdict}"));
            foreach (var key in token.Token.PrivateKeys)
            {
                Assert.Single(token.Keys, k => ReferenceEquals(k.Key, key));
                count++;
            }
        }

        return count;
    }
}
