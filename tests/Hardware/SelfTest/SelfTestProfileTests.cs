using System.Collections.Concurrent;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;
using Xunit;

namespace TokenService.Tests.Hardware.SelfTest;

/// <summary>
/// On the demo profiles whose lists tell the truth, the self-test proves every route the verdict names: the
/// token signs what TLS would sign, the signature verifies with the certificate's key, and the verdict stays.
/// </summary>
/// <remarks>
/// Tests of one collection run one after the other, so the first one starts every profile's check at once
/// (one child process each, as ProfileVerdictTests does) and each test awaits its own.
/// </remarks>
[Collection(ProfilesCollection.Name)]
public sealed class SelfTestProfileTests(ProfilesFixture profiles)
{
    private static readonly string[] Truthful =
        ["rsa2048-full", "ec-p256", "ec-p384", "ec-p521", "ed25519", "rsa-raw-pkcs1", "rsa-always-auth"];

    private static readonly ConcurrentDictionary<string, Task<(ChildProcess.Result Result, TokenReport Report)>> Runs = new();

    public static TheoryData<string> TruthfulProfiles() => [.. Truthful];

    [Theory]
    [MemberData(nameof(TruthfulProfiles))]
    public async Task SelfTest_Profile_PassesOnEveryUsableRoute(string profile)
    {
        var (_, report) = await SelfTestAsync(profile);

        var key = Assert.Single(Assert.Single(report.Tokens).Keys);
        var selfTest = Assert.IsAssignableFrom<IReadOnlyList<SelfTestEntry>>(key.SelfTest);
        var routed = selfTest.Where(e => e.Route is not null).ToList();
        Assert.All(routed, e => Assert.True(e.Result == "passed", $"TLS {e.Tls} {e.Scheme} via {e.Route}: {e.Result} {e.ReturnValue} {e.Detail}"));
        Assert.All(routed, e => Assert.Contains("verified with the certificate's public key", e.Detail));

        // Each scheme the tables call usable was signed through the route they name, in both versions.
        foreach (var (tls, table) in new[] { ("1.3", key.Tls13), ("1.2", key.Tls12) })
        {
            Assert.All(table.Schemes.Where(s => s.Usable), s =>
                Assert.Contains(routed, e => e.Tls == tls && e.Scheme == s.Name && e.Route == s.Route));
        }

        Assert.Contains(routed, e => e.Tls == "1.3");
        Assert.Equal(ProfilesFixture.Expected(profile, "EXPECTED_VERDICT"), key.Verdict);
        Assert.DoesNotContain(key.Problems, p => p.Code == "self-test-failed");
    }

    [Fact]
    public async Task SelfTest_RawRsaToken_PadsPssInSoftwareOverCkmRsaX509()
    {
        var (_, report) = await SelfTestAsync("rsa-raw-pkcs1");

        var selfTest = Assert.Single(Assert.Single(report.Tokens).Keys).SelfTest!;
        var tls13 = selfTest.Where(e => e.Tls == "1.3" && e.Route is not null).ToList();
        Assert.Equal(["rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"], tls13.Select(e => e.Scheme));
        Assert.All(tls13, e => Assert.Equal(("CKM_RSA_X_509", "passed"), (e.Route, e.Result)));
    }

    [Fact]
    public async Task SelfTest_AlwaysAuthenticateKey_OneContextLoginAfterEachSignInit()
    {
        var log = Path.Combine(Path.GetTempPath(), $"tokenservice-spy-{Guid.NewGuid():N}.log");
        try
        {
            var (result, report) = await RunAsync(
                "rsa-always-auth", RestrictedTokenFixture.SpyModulePath, new Dictionary<string, string>
                {
                    ["PKCS11SPY"] = Repo.SoftHsmModule,
                    ["PKCS11SPY_OUTPUT"] = log,
                });

            var calls = SpiedCall.Read(log);
            var signatures = Assert.Single(Assert.Single(report.Tokens).Keys).SelfTest!.Count(e => e.Result == "passed");
            Assert.True(signatures >= 9, $"only {signatures} signatures");
            Assert.Equal(signatures, calls.Count(c => c.Function == "C_SignInit"));
            Assert.Equal(signatures, calls.Count(c => c is { Function: "C_Login", UserType: "CKU_CONTEXT_SPECIFIC" }));
            Assert.Equal(2, calls.Count(c => c is { Function: "C_Login", UserType: "CKU_USER" })); // inventory + signer
            for (var i = 0; i < calls.Count; i++)
            {
                if (calls[i].UserType == "CKU_CONTEXT_SPECIFIC")
                {
                    Assert.Equal("C_SignInit", calls[i - 1].Function);
                    Assert.Equal("C_Sign", calls[i + 1].Function);
                }
            }

            var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
            Assert.DoesNotContain(pin, result.Stdout + result.Stderr);
        }
        finally
        {
            File.Delete(log); // the spy logs PIN bytes
        }
    }

    [Fact]
    public async Task SelfTest_Table_ShowsAShortSelfTestBlock()
    {
        var result = await ChildProcess.TokenServiceAsync(
            ["check", "--module", Repo.SoftHsmModule, "--token", "ec-p256", "--pin-file", profiles.PinFile, "--self-test"],
            new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf("ec-p256"), ["NO_COLOR"] = "1" });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Self-test: TLS 1.3 1 passed; TLS 1.2 3 passed", result.Stdout);
        Assert.Contains("verified with the certificate's public key, r‖s (64 bytes) sent as a DER ECDSA-Sig-Value", result.Stdout);
    }

    /// <summary>This profile's `check --self-test --format json` through SoftHSM, started with all the others.</summary>
    private Task<(ChildProcess.Result Result, TokenReport Report)> SelfTestAsync(string profile)
    {
        foreach (var each in Truthful)
        {
            Runs.GetOrAdd(each, p => RunAsync(p, Repo.SoftHsmModule, []));
        }

        return Runs.GetOrAdd(profile, p => RunAsync(p, Repo.SoftHsmModule, []));
    }

    private async Task<(ChildProcess.Result Result, TokenReport Report)> RunAsync(
        string profile, string module, Dictionary<string, string> environment)
    {
        environment["SOFTHSM2_CONF"] = profiles.ConfigOf(profile);
        var result = await ProfilesFixture.OneAtATimeAsync(profile, () => ChildProcess.TokenServiceAsync(
            ["check", "--module", module, "--token", profile, "--format", "json", "--pin-file", profiles.PinFile, "--self-test"],
            environment));
        Assert.True(result.ExitCode is 0 or 1 or 2 or 6, $"check {profile} exited {result.ExitCode}: {result.Stderr}");
        return (result, JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!);
    }
}
