using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Tools;
using Xunit;

namespace TokenService.Tests.Hardware.Hardening;

/// <summary>
/// A scratch SoftHSM store of its own (its own SOFTHSM2_CONF, used only by child processes, so the module this
/// test process may load elsewhere is untouched) whose token and key labels carry terminal control sequences: a
/// colour change, a terminal title (OSC ... BEL), a concealing SGR that would hide what follows, and a CR.
/// </summary>
public sealed class HostileTokenFixture : IDisposable
{
    public const string Pin = "246810";
    private const string SoPin = "13579111";

    /// <summary>32 bytes at most: CK_TOKEN_INFO's label field.</summary>
    public const string TokenLabel = "EVIL\u001b[31mRED\u001b]0;TITLE\u0007";
    public const string KeyLabel = "k\u001b[8mHIDDEN\u001b[0m\rCOMPATIBLE";

    private readonly ScratchSoftHsmStore store = new("tokenservice-hostile-");

    public HostileTokenFixture()
    {
        ExternalTool.RequireFile(Repo.SoftHsmModule, "softhsm2");
        try
        {
            ConfigurationPath = store.WriteConfiguration("softhsm2.conf");
            Environment = ScratchSoftHsmStore.Environment(ConfigurationPath);
            PinFile = store.WriteSecret("pin", Pin + "\n");
            ScratchSoftHsmStore.InitToken(Environment, TokenLabel, Pin, SoPin);
            ExternalTool.Run("pkcs11-tool", "opensc", Environment, "--module", Repo.SoftHsmModule, "--token-label", TokenLabel,
                "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--id", "01", "--label", KeyLabel);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public string ConfigurationPath { get; }

    /// <summary>SOFTHSM2_CONF for the child processes that read this store.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The user PIN, mode 0600.</summary>
    public string PinFile { get; }

    /// <summary>A scratch directory that goes away with the fixture.</summary>
    public string WorkingDirectory => store.Folder;

    public void Dispose() => store.Dispose();
}
