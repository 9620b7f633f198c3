using TokenService.Drivers.Pkcs11;
using Xunit;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>A module that cannot be used is our one exception type, with a one-line message.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11ModuleErrorTests(SoftHsmFixture softHsm)
{
    [Fact]
    public void Read_MissingModule_ThrowsModuleNotFoundNamingThePath()
    {
        var path = Path.Combine(softHsm.WorkingDirectory, "no-such-module.so");

        var e = Assert.Throws<Pkcs11ModuleException>(() => Pkcs11Inventory.Read(path, new InventoryRequest()));

        Assert.Equal(Pkcs11Failure.ModuleNotFound, e.Failure);
        Assert.Equal($"PKCS#11 module {path}: load failed: no such file", e.Message);
        Assert.Null(e.ReturnValue);
    }

    [Fact]
    public void Read_FileThatIsNotALibrary_ThrowsModuleLoadFailedOnOneLine()
    {
        var path = Path.Combine(softHsm.WorkingDirectory, "not-a-library.so");
        File.WriteAllText(path, "this is text, not ELF");

        var e = Assert.Throws<Pkcs11ModuleException>(() => Pkcs11Inventory.Read(path, new InventoryRequest()));

        Assert.Equal(Pkcs11Failure.ModuleLoadFailed, e.Failure);
        Assert.StartsWith($"PKCS#11 module {path}: load failed: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Read_LibraryWithoutPkcs11Entry_ThrowsModuleLoadFailedNamingCGetFunctionList()
    {
        var zlib = Tools.ExternalTool.RequireFile("/usr/lib/x86_64-linux-gnu/libz.so.1", "zlib1g");

        var e = Assert.Throws<Pkcs11ModuleException>(() => Pkcs11Inventory.Read(zlib, new InventoryRequest()));

        Assert.Equal(Pkcs11Failure.ModuleLoadFailed, e.Failure);
        Assert.Contains("C_GetFunctionList", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A second copy of SoftHSM (another inode, so dlopen loads it apart from the fixture's instance) started
    /// with SOFTHSM2_CONF naming a missing file: its C_Initialize fails. The fixture's instance read its
    /// configuration at its own C_Initialize, so changing the variable for a moment does not touch it.
    /// </summary>
    [Fact]
    public void Read_ModuleWhoseInitializeFails_ThrowsInitializeFailedWithCkrName()
    {
        var copy = Path.Combine(softHsm.WorkingDirectory, "libsofthsm2-copy.so");
        File.Copy(SoftHsmFixture.ModulePath, copy, overwrite: true);

        Pkcs11ModuleException e;
        NativeEnvironment.Set("SOFTHSM2_CONF", Path.Combine(softHsm.WorkingDirectory, "missing.conf"));
        try
        {
            e = Assert.Throws<Pkcs11ModuleException>(() => Pkcs11Inventory.Read(copy, new InventoryRequest()));
        }
        finally
        {
            NativeEnvironment.Set("SOFTHSM2_CONF", softHsm.ConfigurationPath);
        }

        Assert.Equal(Pkcs11Failure.InitializeFailed, e.Failure);
        Assert.Equal("C_Initialize", e.Function);
        Assert.Matches(@"^PKCS#11 module .+: C_Initialize failed: CKR_[A-Z_]+$", e.Message);
        Assert.NotNull(e.ReturnValue);
    }
}
