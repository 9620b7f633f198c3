using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenService.Locating;
using TokenService.Probing;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Probing;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Locating;

/// <summary>
/// The p11-kit mode on this machine's own registry: Debian's opensc-pkcs11 package registers OpenSC in
/// /usr/share/p11-kit/modules, and a reader no bench binding knows is probed through it by slot name.
/// </summary>
public sealed class P11KitLocatingTests(ITestOutputHelper output)
{
    private const string OpenScPackage = "opensc-pkcs11";
    private const string AbsentReader = "TokenService Absent Reader 00 00";

    /// <summary>A locator on the real registry (default directories) with OpenSC for unbound readers.</summary>
    private static TokenLocator OpenScLocator()
    {
        Repo.Require("/usr/share/p11-kit/modules/opensc-pkcs11.module", OpenScPackage);
        return new TokenLocator(Options.Create(new LocatingOptions { P11KitModule = "opensc-pkcs11" }), NullLogger<TokenLocator>.Instance);
    }

    [Fact]
    public void Locate_UnboundReader_TargetsTheRegisteredOpenScModuleBySlotName()
    {
        var target = OpenScLocator().Locate(AbsentReader, [0x3B, 0x00]);

        Assert.NotNull(target);
        Assert.EndsWith("/pkcs11/opensc-pkcs11.so", target.Module, StringComparison.Ordinal);
        Assert.True(File.Exists(target.Module), $"{target.Module} is registered but missing: reinstall '{OpenScPackage}'");
        Assert.Equal(AbsentReader, target.SlotDescription);
        Assert.Null(target.TokenLabel);
    }

    [Fact]
    public async Task ProbeAsync_OpenScSlotWithoutACard_TokenNotFoundNamingTheSlot()
    {
        var target = OpenScLocator().Locate(AbsentReader, [0x3B, 0x00])!;
        await using var harness = new ProbeHarness(output, TimeSpan.FromSeconds(30));

        var outcome = await harness.ProbeAsync(target);

        // OpenSC loads and initializes in the probe host (with or without pcscd running); no slot has that name.
        Assert.True(outcome.Status == ProbeStatus.TokenNotFound, $"{outcome.Status}: {outcome.Error}");
        Assert.Contains($"no token in a slot named '{AbsentReader}'", outcome.Error, StringComparison.Ordinal);
    }
}
