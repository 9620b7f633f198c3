using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TokenService.Locating;
using TokenService.Tests.Unit.Infrastructure;
using Xunit;

namespace TokenService.Tests.Unit.Locating;

public sealed class TokenLocatorTests : IDisposable
{
    private static readonly ImmutableArray<byte> SoftAtr = [0x3B, 0x8F, 0x80, 0x01];
    private static readonly ImmutableArray<byte> OtherAtr = [0x3B, 0x02, 0x14, 0x50];

    private readonly TempDirectory dir = new();
    private readonly string module;

    public TokenLocatorTests() => module = dir.Write("libfake-pkcs11.so", "");

    public void Dispose() => dir.Dispose();

    private TokenLocator Locator(string bindingsJson, P11KitModule? p11Kit = null) =>
        new(BenchBindingsFile.Parse(bindingsJson.Replace("MODULE", module, StringComparison.Ordinal), dir.Path, "test"), p11Kit, NullLogger.Instance);

    [Fact]
    public void Locate_BoundReader_GivesTheBindingsTarget()
    {
        var locator = Locator("""
            [ { "reader": "Virtual PCD 00 00", "module": "MODULE", "environment": { "SOFTHSM2_CONF": "/c/a.conf" }, "token": "a" } ]
            """);

        var target = locator.Locate("Virtual PCD 00 00", SoftAtr);

        Assert.NotNull(target);
        Assert.Equal(module, target.Module);
        Assert.Equal("a", target.TokenLabel);
        Assert.Null(target.SlotDescription);
        Assert.Equal("/c/a.conf", target.Environment["SOFTHSM2_CONF"]);
    }

    [Fact]
    public void Locate_SeveralBindingsMatch_FirstOneWins()
    {
        var locator = Locator("""
            [
              { "reader": "Virtual PCD 00 01", "module": "MODULE", "token": "exact-other-reader" },
              { "reader": "Virtual PCD *", "module": "MODULE", "token": "first-prefix" },
              { "reader": "Virtual PCD 00 00", "module": "MODULE", "token": "exact-but-later" }
            ]
            """);

        Assert.Equal("first-prefix", locator.Locate("Virtual PCD 00 00", SoftAtr)?.TokenLabel);
        Assert.Equal("exact-other-reader", locator.Locate("Virtual PCD 00 01", SoftAtr)?.TokenLabel);
    }

    [Fact]
    public void Locate_AtrDecidesBetweenBindingsOfOneReader()
    {
        var locator = Locator("""
            [
              { "reader": "Virtual PCD 00 00", "atr": "3B 8F 00 00 / FF FF 00 00", "module": "MODULE", "token": "softhsm-card" },
              { "reader": "Virtual PCD 00 00", "atr": "3B 02 *", "module": "MODULE", "token": "other-card" }
            ]
            """);

        Assert.Equal("softhsm-card", locator.Locate("Virtual PCD 00 00", SoftAtr)?.TokenLabel);
        Assert.Equal("other-card", locator.Locate("Virtual PCD 00 00", OtherAtr)?.TokenLabel);
        Assert.Null(locator.Locate("Virtual PCD 00 00", [0x3B, 0x00]));
    }

    [Fact]
    public void Locate_UnboundReaderWithP11Kit_TargetsTheSlotNamedAfterTheReader()
    {
        var opensc = new P11KitModule("opensc-pkcs11", "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so", "/usr/share/p11-kit/modules/opensc-pkcs11.module");
        var locator = Locator("""[ { "reader": "Virtual PCD 00 00", "module": "MODULE", "token": "a" } ]""", opensc);

        var target = locator.Locate("SCM Microsystems Inc. SCR 3310 [CCID Interface] 00 00", OtherAtr);

        Assert.NotNull(target);
        Assert.Equal(opensc.Path, target.Module);
        Assert.Equal("SCM Microsystems Inc. SCR 3310 [CCID Interface] 00 00", target.SlotDescription);
        Assert.Null(target.TokenLabel);
        Assert.Null(target.PinFile);
        Assert.Empty(target.Environment);
        Assert.Equal("a", locator.Locate("Virtual PCD 00 00", SoftAtr)?.TokenLabel);
    }

    [Fact]
    public void Locate_NothingConfiguredForTheReader_IsNull() =>
        Assert.Null(Locator("""[ { "reader": "Virtual PCD 00 00", "module": "MODULE", "token": "a" } ]""").Locate("Other Reader", SoftAtr));

    [Fact]
    public void AddLocating_WrongBindingsFile_FailsAtStartWithEveryProblem()
    {
        var file = dir.Write("bindings.json", """[ { "reader": "R", "module": "/nonexistent.so", "token": "t", "atr": "3G" } ]""");
        using var provider = Services(new() { ["Locating:BindingsFile"] = file });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("module: /nonexistent.so does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("atr: bad hex '3G'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLocating_NeitherBindingsNorP11Kit_FailsAtStart()
    {
        using var provider = Services([]);

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Set BindingsFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLocating_UnregisteredP11KitModule_FailsAtStartNamingTheRegisteredOnes()
    {
        dir.Write("modules/softhsm2.module", "module: /usr/lib/softhsm/libsofthsm2.so\n");
        using var provider = Services(new()
        {
            ["Locating:P11KitModule"] = "opensc-pkcs11",
            ["Locating:P11KitConfigDirectories:0"] = Path.Combine(dir.Path, "modules"),
        });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("no p11-kit module named 'opensc-pkcs11'", e.Message, StringComparison.Ordinal);
        Assert.Contains("registered: softhsm2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLocating_ValidConfiguration_LocatesThroughBindingsThenP11Kit()
    {
        var file = dir.Write("bindings.json", $$"""[ { "reader": "Virtual PCD 00 00", "module": "{{module}}", "token": "a" } ]""");
        dir.Write("modules/opensc-pkcs11.module", "module: opensc-pkcs11.so\n");
        using var provider = Services(new()
        {
            ["Locating:BindingsFile"] = file,
            ["Locating:P11KitModule"] = "opensc-pkcs11",
            ["Locating:P11KitConfigDirectories:0"] = Path.Combine(dir.Path, "modules"),
            ["Locating:P11KitModuleDirectory"] = "/opt/pkcs11",
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var locator = provider.GetRequiredService<ITokenLocator>();

        Assert.Equal("a", locator.Locate("Virtual PCD 00 00", SoftAtr)?.TokenLabel);
        Assert.Equal("/opt/pkcs11/opensc-pkcs11.so", locator.Locate("Virtual PCD 00 01", SoftAtr)?.Module);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddLocating(configuration).BuildServiceProvider();
    }
}
