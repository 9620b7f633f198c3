using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenService.Probing;
using Xunit;

namespace TokenService.Tests.Unit.Probing;

public sealed class ProbingOptionsTests
{
    [Fact]
    public async Task AddProbing_NoSettings_ValidatesWithATenSecondTimeout()
    {
        await using var provider = Services([]);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(10), provider.GetRequiredService<IOptions<ProbingOptions>>().Value.Timeout);
        Assert.IsType<OutOfProcessProber>(provider.GetRequiredService<ITokenProber>());
        Assert.Same(provider.GetRequiredService<OutOfProcessProber>(), provider.GetRequiredService<ITokenProber>());
    }

    [Fact]
    public void AddProbing_TestHostSettings_AreBound()
    {
        using var provider = Services(new()
        {
            ["Probing:Timeout"] = "00:00:02",
            ["Probing:HostExecutable"] = "dotnet",
            ["Probing:HostArguments:0"] = "/tests/tokenservice.dll",
            ["Probing:ServerSchemes"] = "rsa_pss_rsae_sha256",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<ProbingOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.Equal("dotnet", options.HostExecutable);
        Assert.Equal(["/tests/tokenservice.dll"], options.HostArguments!);
    }

    [Fact]
    public void AddProbing_VerdictClients_BoundAndParsedToThoseTargets()
    {
        using var provider = Services(new() { ["Verdict:Clients"] = "firefox, chrome-windows" });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var targets = provider.GetRequiredService<IOptions<VerdictOptions>>().Value.Targets();

        Assert.Equal(["chrome-windows", "firefox"], targets!.Stacks.Select(s => s.Name).Order());
    }

    [Fact]
    public void AddProbing_NoVerdictClients_EveryStack()
    {
        using var provider = Services([]);

        Assert.Null(provider.GetRequiredService<IOptions<VerdictOptions>>().Value.Targets());
    }

    [Theory]
    [InlineData("Probing:Timeout", "00:00:00.010", "Timeout")]
    [InlineData("Probing:Timeout", "2", "Timeout")] // TimeSpan "2" is two days, not two seconds
    [InlineData("Probing:ServerSchemes", "rsa_bogus", "unknown signature scheme 'rsa_bogus'")]
    [InlineData("Probing:HostExecutable", "/nonexistent/tokenservice", "HostExecutable /nonexistent/tokenservice does not exist")]
    [InlineData("Probing:HostArguments:0", "/x/tokenservice.dll", "HostArguments needs HostExecutable")]
    [InlineData("Verdict:Clients", "chrome-windows,lynx", "Clients: unknown client 'lynx'")]
    [InlineData("Verdict:Clients", ",", "Clients: no client named")]
    public void AddProbing_BadSetting_FailsAtStartNamingIt(string key, string value, string message)
    {
        using var provider = Services(new() { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostKey_SameModuleAndEnvironmentInAnyOrder_IsOneHost()
    {
        var a = new ProbeTarget("/lib/../lib/m.so", new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" }, "t1", null, null);
        var b = new ProbeTarget("/lib/m.so", new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" }, "t2", null, "/pin");

        Assert.Equal(OutOfProcessProber.HostKey(a), OutOfProcessProber.HostKey(b));
    }

    [Fact]
    public void HostKey_OtherEnvironmentValue_IsAnotherHost()
    {
        var a = new ProbeTarget("/lib/m.so", new Dictionary<string, string> { ["SOFTHSM2_CONF"] = "/a.conf" }, "t", null, null);
        var b = a with { Environment = new Dictionary<string, string> { ["SOFTHSM2_CONF"] = "/b.conf" } };

        Assert.NotEqual(OutOfProcessProber.HostKey(a), OutOfProcessProber.HostKey(b));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddProbing(configuration).BuildServiceProvider();
    }
}
