using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.Hardening;

/// <summary>
/// The `ec-p256` SoftHSM profile (expected compatible) provisioned into a scratch folder of its own, so that a wrong
/// PIN given here moves no PIN counter any other test reads. Its store holds that one initialized token and, as
/// every SoftHSM store does, one free slot whose token lacks CKF_TOKEN_INITIALIZED.
/// </summary>
public sealed class ScratchProfileFixture : IAsyncLifetime
{
    public const string Profile = "ec-p256";
    public static string SpyModule => Repo.SpyModule;

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("tokenservice-exitcodes-");

    public string Folder => directory.FullName;

    /// <summary>SOFTHSM2_CONF for the child processes that read this store.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        new Dictionary<string, string> { ["SOFTHSM2_CONF"] = Path.Combine(Folder, Profile, "softhsm2.conf") };

    /// <summary>The right user PIN (provision.sh writes it, mode 0600).</summary>
    public string PinFile => Path.Combine(Folder, "pin");

    public async Task InitializeAsync()
    {
        Repo.Require("softhsm2-util", "softhsm2");
        Repo.Require("pkcs11-tool", "opensc");
        Repo.Require(Repo.SoftHsmModule, "softhsm2");
        Repo.Require(SpyModule, "opensc-pkcs11");
        var result = await ChildProcess.RunAsync(Repo.Path("softhsm-config", "provision.sh"), [Folder, Profile], timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, $"provision.sh failed ({result.ExitCode}): {result.Stderr}");
    }

    /// <summary>A PIN file (mode 0600) holding a PIN that is not this token's.</summary>
    public string WrongPinFile(string pin)
    {
        var path = Path.Combine(Folder, "wrong-pin");
        File.WriteAllText(path, pin + "\n");
        Assert.False(OperatingSystem.IsWindows(), "PIN file modes are POSIX");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    public Task DisposeAsync()
    {
        directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
