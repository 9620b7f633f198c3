using TokenService.Locating;
using TokenService.Tests.Unit.Infrastructure;
using Xunit;

namespace TokenService.Tests.Unit.Locating;

public sealed class P11KitModulesTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string System => Path.Combine(dir.Path, "etc", "pkcs11", "modules");

    private string Package => Path.Combine(dir.Path, "usr", "share", "p11-kit", "modules");

    private string ModuleDirectory => Path.Combine(dir.Path, "usr", "lib", "pkcs11");

    private P11KitRegistry Read() => P11KitModules.Read([System, Package], ModuleDirectory);

    [Fact]
    public void Read_DebianPackageFiles_ResolvesRelativeNamesInTheModuleDirectory()
    {
        dir.Write("usr/share/p11-kit/modules/opensc-pkcs11.module", "# This file describes how to load the opensc module\n# See: http://p11-glue.freedesktop.org/doc/p11-kit/config.html\nmodule: opensc-pkcs11.so\n");
        dir.Write("usr/share/p11-kit/modules/softhsm2.module", "module: /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so\n");

        var registry = Read();

        Assert.Empty(registry.Problems);
        Assert.Equal(["opensc-pkcs11", "softhsm2"], registry.Modules.Select(m => m.Name));
        Assert.Equal(Path.Combine(ModuleDirectory, "opensc-pkcs11.so"), registry.Find("opensc-pkcs11")!.Path);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", registry.Find("softhsm2")!.Path);
    }

    [Fact]
    public void Read_SameNameInEtcAndShare_EtcWinsKeyByKey()
    {
        dir.Write("usr/share/p11-kit/modules/vendor.module", "module: vendor-pkcs11.so\npriority: 5\n");
        dir.Write("etc/pkcs11/modules/vendor.module", "module: /opt/vendor/lib/vendor-pkcs11.so\n");

        var module = Assert.Single(Read().Modules);

        Assert.Equal("/opt/vendor/lib/vendor-pkcs11.so", module.Path);
        Assert.Equal(Path.Combine(System, "vendor.module"), module.ConfigFile);
    }

    [Fact]
    public void Read_EtcFileWithoutModuleLine_KeepsThePackageModule()
    {
        // An admin's override that only changes another key inherits `module:` from the package file.
        dir.Write("usr/share/p11-kit/modules/vendor.module", "module: vendor-pkcs11.so\n");
        dir.Write("etc/pkcs11/modules/vendor.module", "critical: yes\n");

        Assert.Equal(Path.Combine(ModuleDirectory, "vendor-pkcs11.so"), Assert.Single(Read().Modules).Path);
    }

    [Theory]
    [InlineData("disable-in: tokenservice\n", false)]
    [InlineData("disable-in: p11-kit-proxy\n", true)]
    [InlineData("enable-in: firefox, chromium\n", false)]
    [InlineData("enable-in: firefox tokenservice\n", true)]
    public void Read_EnableInAndDisableIn_DecideForThisProgram(string line, bool listed)
    {
        dir.Write("usr/share/p11-kit/modules/vendor.module", "module: vendor-pkcs11.so\n" + line);

        Assert.Equal(listed, Read().Find("vendor") is not null);
    }

    [Fact]
    public void Read_FileWithoutModule_IsAProblemNotAModule()
    {
        dir.Write("usr/share/p11-kit/modules/empty.module", "# nothing\npriority: 1\n");

        var registry = Read();

        Assert.Empty(registry.Modules);
        Assert.Contains("empty.module: no 'module:' line", Assert.Single(registry.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LineWithoutColon_RefusesTheFileAsP11KitDoes()
    {
        dir.Write("usr/share/p11-kit/modules/broken.module", "module: broken.so\nthis line has no colon\n");

        var registry = Read();

        Assert.Empty(registry.Modules);
        Assert.Contains("broken.module: line 2: expected 'key: value'", Assert.Single(registry.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherFilesAndMissingDirectories_AreIgnored()
    {
        dir.Write("usr/share/p11-kit/modules/README", "module: not-a-config.so\n");
        dir.Write("usr/share/p11-kit/modules/old.module.dpkg-old", "module: old.so\n");

        var registry = Read();

        Assert.Empty(registry.Modules);
        Assert.Empty(registry.Problems);
    }

    [Fact]
    public void TryParse_SpacesAndComments_TrimsKeysAndValues()
    {
        Assert.True(P11KitModules.TryParse(["  # comment", "", " module :  lib.so  ", "x-init-reserved:"], out var values, out var error), error);

        Assert.Equal("lib.so", values["module"]);
        Assert.Equal("", values["x-init-reserved"]);
    }
}
