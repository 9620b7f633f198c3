using System.Globalization;
using TokenService.Probing;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Probing;

/// <summary>
/// A module that hangs or aborts, behind the probe-host process boundary: the prober answers ModuleFailed
/// within its timeout, kills what hangs, and the next probe (of a good SoftHSM token, or of the same module
/// in a fresh host) works.
/// </summary>
[Collection(ProfilesCollection.Name)]
public sealed class ProbeHostFailureTests(ProfilesFixture profiles, BrokenModuleFixture broken, ITestOutputHelper output)
    : IClassFixture<BrokenModuleFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Killing a hung host and reading its exit takes a moment beyond the timeout itself.</summary>
    private static readonly TimeSpan KillAllowance = TimeSpan.FromSeconds(3);

    private readonly ProbeHarness harness = new(output, Timeout);

    private ProbeTarget Broken => new(broken.ModulePath, broken.Environment, "any", SlotDescription: null, PinFile: null);

    /// <summary>
    /// Warms the good token's host: its first probe JIT-compiles the inventory and the verdict engine, which on
    /// a busy machine can take longer than the 2 s these tests give a module. Later probes take milliseconds.
    /// </summary>
    public async Task InitializeAsync()
    {
        var good = ProbeHarness.SoftHsm(profiles, "rsa2048-full");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var warm = await harness.ProbeAsync(good);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up {attempt}: {warm.Status} in {warm.Duration.TotalMilliseconds:F0} ms"));
            if (warm.Status == ProbeStatus.Completed)
            {
                return;
            }
        }

        Assert.Fail("the good SoftHSM token's host did not warm up in five tries (machine too busy for a 2 s bound?)");
    }

    public async Task DisposeAsync()
    {
        broken.SetMode("ok");
        await harness.DisposeAsync();
    }

    [Theory]
    [InlineData("hang-initialize")]
    [InlineData("hang-slots")]
    public async Task ProbeAsync_ModuleHangs_ModuleFailedWithinTheTimeoutAndTheHostIsKilled(string mode)
    {
        broken.SetMode(mode);
        var host = await harness.Prober.StartHostAsync(Broken, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var outcome = await harness.ProbeAsync(Broken);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {outcome.Status} after {outcome.Duration.TotalMilliseconds:F0} ms: {outcome.Error}"));
        Assert.Equal(ProbeStatus.ModuleFailed, outcome.Status);
        Assert.Contains("did not answer within 2 s", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(host, outcome.HostProcessId);
        Assert.InRange(outcome.Duration, Timeout, Timeout + KillAllowance);
        await ProbeHarness.AssertGoneAsync(outcome.HostProcessId!.Value);
        await AssertNextProbesWorkAsync(outcome.HostProcessId.Value);
    }

    [Theory]
    [InlineData("abort-initialize")]
    [InlineData("abort-slots")]
    public async Task ProbeAsync_ModuleAborts_ModuleFailedNamingTheSignal(string mode)
    {
        broken.SetMode(mode);
        var host = await harness.Prober.StartHostAsync(Broken, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var outcome = await harness.ProbeAsync(Broken);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {outcome.Status} after {outcome.Duration.TotalMilliseconds:F0} ms: {outcome.Error}"));
        Assert.Equal(ProbeStatus.ModuleFailed, outcome.Status);
        Assert.Contains("SIGABRT", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(host, outcome.HostProcessId);
        Assert.True(outcome.Duration < Timeout, $"a crash is reported when it happens, not at the timeout: {outcome.Duration}");
        await ProbeHarness.AssertGoneAsync(outcome.HostProcessId!.Value);
        await AssertNextProbesWorkAsync(outcome.HostProcessId.Value);
    }

    /// <summary>
    /// After a failure: a good SoftHSM token still probes (its host is untouched), and the same broken module,
    /// now told to behave, gets a fresh host that answers (its empty slot list is TokenNotFound, not a failure).
    /// </summary>
    private async Task AssertNextProbesWorkAsync(int failedHost)
    {
        var good = await harness.ProbeAsync(ProbeHarness.SoftHsm(profiles, "rsa2048-full"));
        Assert.True(good.Status == ProbeStatus.Completed, $"good token after a failure: {good.Status} {good.Error}");
        Assert.Equal("compatible", good.Report!.Verdict);

        broken.SetMode("ok");
        var again = await harness.ProbeAsync(Broken);
        Assert.True(again.Status == ProbeStatus.TokenNotFound, $"same module in a fresh host: {again.Status} {again.Error}");
        Assert.NotEqual(failedHost, again.HostProcessId);
    }
}
