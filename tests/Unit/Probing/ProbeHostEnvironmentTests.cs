using System.Collections;
using TokenService.Probing;
using Xunit;

namespace TokenService.Tests.Unit.Probing;

public sealed class ProbeHostEnvironmentTests
{
    private static readonly Hashtable Service = new()
    {
        ["PATH"] = "/usr/bin:/bin",
        ["HOME"] = "/root",
        ["LC_ALL"] = "C.UTF-8",
        ["DOTNET_ROOT"] = "/usr/share/dotnet",
        ["PCSCLITE_CSOCK_NAME"] = "/run/pcscd/pcscd.comm",
        ["SOFTHSM2_CONF"] = "/etc/softhsm/softhsm2.conf",
        ["TOKENSERVICE__SERVE__APIKEY"] = "0123456789abcdef-secret",
        ["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=Bearer secret",
        ["AWS_SECRET_ACCESS_KEY"] = "secret",
    };

    [Fact]
    public void Apply_ServiceEnvironmentWithSecrets_KeepsOnlyWhatModulesAndTheHostNeed()
    {
        var environment = new Dictionary<string, string?> { ["LEFT_OVER"] = "from the start info" };

        ProbeHostEnvironment.Apply(environment, Service, new Dictionary<string, string>());

        Assert.Equal(
            ["DOTNET_GCRegionSize", "DOTNET_GCgen0size", "DOTNET_ROOT", "HOME", "LC_ALL", "PATH", "PCSCLITE_CSOCK_NAME", "SOFTHSM2_CONF"],
            environment.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apply_ConfiguredEnvironment_WinsOverTheServicesAndIsPassedWhateverItsName()
    {
        var environment = new Dictionary<string, string?>();

        ProbeHostEnvironment.Apply(environment, Service, new Dictionary<string, string>
        {
            ["SOFTHSM2_CONF"] = "/srv/bench/rsa2048-full/softhsm2.conf",
            ["VENDOR_MODULE_SETTING"] = "1",
        });

        Assert.Equal("/srv/bench/rsa2048-full/softhsm2.conf", environment["SOFTHSM2_CONF"]);
        Assert.Equal("1", environment["VENDOR_MODULE_SETTING"]);
        Assert.DoesNotContain("TOKENSERVICE__SERVE__APIKEY", environment.Keys);
    }

    [Fact]
    public void Apply_ServiceSetsAGcVariable_ItWinsOverTheResidentDefault()
    {
        var environment = new Dictionary<string, string?>();

        ProbeHostEnvironment.Apply(environment, new Hashtable { ["DOTNET_GCgen0size"] = "200000" }, new Dictionary<string, string>());

        Assert.Equal("200000", environment["DOTNET_GCgen0size"]);
        Assert.Equal(ProbeHostEnvironment.ResidentGc["DOTNET_GCRegionSize"], environment["DOTNET_GCRegionSize"]);
    }

    [Theory]
    [InlineData("TOKENSERVICE__SERVE__APIKEY", false)]
    [InlineData("TOKENSERVICE_MODULE", false)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", false)]
    [InlineData("LD_PRELOAD", false)]
    [InlineData("OPENSC_CONF", true)]
    [InlineData("P11_KIT_SERVER_ADDRESS", true)]
    [InlineData("XDG_RUNTIME_DIR", true)]
    [InlineData("OPENSSL_CONF", true)]
    public void Passes_Name_OnlyTheAllowedOnes(string name, bool passes) =>
        Assert.Equal(passes, ProbeHostEnvironment.Passes(name));
}
