using System.Diagnostics;
using System.Globalization;
using TokenService.Probing;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Probing;

/// <summary>
/// <see cref="OutOfProcessProber"/> against real SoftHSM profiles: one probe host per SOFTHSM2_CONF, hosts kept
/// and reused, a host killed from outside replaced on the next request.
/// </summary>
[Collection(ProfilesCollection.Name)]
public sealed class OutOfProcessProberTests(ProfilesFixture profiles, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProbeHarness harness = new(output, TimeSpan.FromSeconds(30));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task ProbeAsync_TwoProfiles_TwoHostsGiveEachItsExpectedVerdict()
    {
        var full = await harness.ProbeAsync(ProbeHarness.SoftHsm(profiles, "rsa2048-full"));
        var pkcs1 = await harness.ProbeAsync(ProbeHarness.SoftHsm(profiles, "rsa-pkcs1-only"));

        foreach (var (profile, outcome) in new[] { ("rsa2048-full", full), ("rsa-pkcs1-only", pkcs1) })
        {
            Assert.True(outcome.Status == ProbeStatus.Completed, $"{profile}: {outcome.Status} {outcome.Error}");
            var token = Assert.Single(outcome.Report!.Tokens);
            Assert.Equal(profile, token.Label);
            Assert.Equal("logged-in", token.Login);
            Assert.Equal(ProfilesFixture.Expected(profile, "EXPECTED_VERDICT"), token.Verdict);
        }

        Assert.NotEqual(ProfilesFixture.Expected("rsa2048-full", "EXPECTED_VERDICT"), ProfilesFixture.Expected("rsa-pkcs1-only", "EXPECTED_VERDICT"));
        Assert.NotNull(full.HostProcessId);
        Assert.NotNull(pkcs1.HostProcessId);
        Assert.NotEqual(full.HostProcessId, pkcs1.HostProcessId);
        var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
        Assert.DoesNotContain(harness.Log.Lines, line => line.Contains(pin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_SameTargetAgain_ReusesTheHostAndCostsLess()
    {
        var target = ProbeHarness.SoftHsm(profiles, "ec-p256");

        var first = await harness.ProbeAsync(target);
        var second = await harness.ProbeAsync(target);
        var third = await harness.ProbeAsync(target);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first probe (host start + module load + JIT): {first.Duration.TotalMilliseconds:F1} ms; second: {second.Duration.TotalMilliseconds:F1} ms (in host {second.HostDuration?.TotalMilliseconds:F1} ms); third: {third.Duration.TotalMilliseconds:F1} ms"));
        Assert.Equal(ProbeStatus.Completed, first.Status);
        Assert.Equal(ProbeStatus.Completed, second.Status);
        Assert.Equal(first.HostProcessId, second.HostProcessId);
        Assert.Equal(first.HostProcessId, third.HostProcessId);
        Assert.True(second.Duration < first.Duration, $"second probe {second.Duration} not faster than the first {first.Duration}");
        Assert.Equal(first.Report!.Verdict, second.Report!.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_HostKilledFromOutside_NextRequestStartsAFreshHost()
    {
        var target = ProbeHarness.SoftHsm(profiles, "rsa2048-full");
        var before = await harness.ProbeAsync(target);
        Assert.Equal(ProbeStatus.Completed, before.Status);
        var pid = before.HostProcessId!.Value;

        using (var host = Process.GetProcessById(pid))
        {
            host.Kill(); // SIGKILL, as `kill -9`
        }

        await ProbeHarness.AssertGoneAsync(pid);
        var after = await harness.ProbeAsync(target);

        Assert.True(after.Status == ProbeStatus.Completed, $"{after.Status}: {after.Error}");
        Assert.NotEqual(pid, after.HostProcessId);
        Assert.Equal(before.Report!.Verdict, after.Report!.Verdict);
    }

    [Fact]
    public async Task ProbeAsync_BySlotDescription_ReadsTheTokenInThatSlot()
    {
        var byLabel = await harness.ProbeAsync(ProbeHarness.SoftHsm(profiles, "ec-p384"));
        var slot = Assert.Single(byLabel.Report!.Tokens).SlotDescription;

        var bySlot = await harness.ProbeAsync(ProbeHarness.SoftHsm(profiles, "ec-p384") with { TokenLabel = null, SlotDescription = slot });

        Assert.True(bySlot.Status == ProbeStatus.Completed, $"{bySlot.Status}: {bySlot.Error}");
        Assert.Equal("ec-p384", Assert.Single(bySlot.Report!.Tokens).Label);
    }

    [Fact]
    public async Task ProbeAsync_NoSuchToken_TokenNotFoundAndTheHostStays()
    {
        var good = ProbeHarness.SoftHsm(profiles, "ed25519");
        var before = await harness.ProbeAsync(good);

        var missing = await harness.ProbeAsync(good with { TokenLabel = "no-such-token" });
        var after = await harness.ProbeAsync(good);

        Assert.Equal(ProbeStatus.TokenNotFound, missing.Status);
        Assert.Contains("no-such-token", missing.Error, StringComparison.Ordinal);
        Assert.Equal(before.HostProcessId, missing.HostProcessId);
        Assert.Equal(ProbeStatus.Completed, after.Status);
        Assert.Equal(before.HostProcessId, after.HostProcessId);
    }

    [Fact]
    public async Task ProbeAsync_UnreadablePinFile_ModuleFailedSayingSoAndTheHostStays()
    {
        var good = ProbeHarness.SoftHsm(profiles, "rsa-pss-no-pkcs1");
        var before = await harness.ProbeAsync(good);

        var outcome = await harness.ProbeAsync(good with { PinFile = "/nonexistent/pin" });

        Assert.Equal(ProbeStatus.ModuleFailed, outcome.Status);
        Assert.Contains("cannot read /nonexistent/pin", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(before.HostProcessId, outcome.HostProcessId);
    }

    [Fact]
    public async Task ProbeAsync_Cancelled_ReturnsCancelledWithoutThrowing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcome = await harness.Prober.ProbeAsync(ProbeHarness.SoftHsm(profiles, "rsa2048-full"), cancelled.Token).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ProbeStatus.Cancelled, outcome.Status);
        Assert.Null(outcome.Report);
    }

    [Fact]
    public async Task StartHostAsync_ServiceEnvironmentHoldsTheApiKey_TheProbeHostDoesNotGetIt()
    {
        const string ApiKey = "TOKENSERVICE__SERVE__APIKEY";
        var target = ProbeHarness.SoftHsm(profiles, "ec-p256");
        var before = Environment.GetEnvironmentVariable(ApiKey);
        Environment.SetEnvironmentVariable(ApiKey, "probe-host-must-not-see-this-key");
        int pid;
        try
        {
            await using var prober = new ProbeHarness(output, TimeSpan.FromSeconds(30));
            pid = await prober.Prober.StartHostAsync(target, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

            // /proc/PID/environ: the environment the process was started with, NUL-separated NAME=VALUE.
            var environ = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(environ, v => v.StartsWith(ApiKey + "=", StringComparison.Ordinal) || v.Contains("probe-host-must-not-see-this-key", StringComparison.Ordinal));
            Assert.Contains("SOFTHSM2_CONF=" + target.Environment["SOFTHSM2_CONF"], environ);
            Assert.Contains(environ, v => v.StartsWith("PATH=", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ApiKey, before);
        }

        await ProbeHarness.AssertGoneAsync(pid);
    }
}
