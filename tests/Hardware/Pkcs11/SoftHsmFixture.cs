using System.Text;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Tools;
using Xunit;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>
/// A SoftHSM token of our own in a temporary directory: an RSA-2048, an EC P-256 and an Ed25519 key pair
/// (private keys CKA_PRIVATE, as pkcs11-tool makes them), and an X.509 certificate for the RSA key.
/// </summary>
/// <remarks>
/// SoftHSM reads SOFTHSM2_CONF once, in C_Initialize, and a module is loaded once per process, so this is
/// the only SoftHSM configuration a test process can have: every test that loads SoftHSM belongs to
/// <see cref="SoftHsmCollection"/>. The configuration restricts the library with a `slots.mechanisms`
/// whitelist without CKM_RSA_PKCS_PSS and CKM_SHA256_RSA_PKCS_PSS, which SoftHSM then still answers for in
/// C_GetMechanismInfo (docs/tls-client-auth.md §6, §7). SoftHSM 2.6.1 ignores the first entry of a `-` blacklist, so the
/// list names what stays.
/// </remarks>
public sealed class SoftHsmFixture : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>OpenSC's logging proxy: loaded as a module, it forwards every call to SoftHSM and logs it.</summary>
    public static string SpyModulePath => Repo.SpyModule;
    public const string TokenLabel = "tokenservice-inventory";
    public const string UserPin = "246810";
    private const string SoPin = "13579111";

    public static readonly string[] WhitelistedMechanisms =
    [
        "CKM_RSA_PKCS_KEY_PAIR_GEN", "CKM_RSA_PKCS", "CKM_RSA_X_509", "CKM_SHA256_RSA_PKCS", "CKM_EC_KEY_PAIR_GEN",
        "CKM_ECDSA", "CKM_EC_EDWARDS_KEY_PAIR_GEN", "CKM_EDDSA", "CKM_SHA256",
    ];

    private readonly ScratchSoftHsmStore store;

    public SoftHsmFixture()
    {
        ExternalTool.RequireFile(ModulePath, "softhsm2");
        ExternalTool.RequireFile(SpyModulePath, "opensc-pkcs11");
        ExternalTool.Find("softhsm2-util", "softhsm2");
        ExternalTool.Find("pkcs11-tool", "opensc");
        ExternalTool.Find("openssl", "openssl");
        store = new ScratchSoftHsmStore("tokenservice-softhsm-");
        try
        {
            ConfigurationPath = store.WriteConfiguration("softhsm2.conf", WhitelistedMechanisms);
            SpyLogPath = store.In("pkcs11-spy.log");
            ToolEnvironment = ScratchSoftHsmStore.Environment(ConfigurationPath);
            CertificateDer = CreateToken();
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private byte[] CreateToken()
    {
        // Before anything in this process loads SoftHSM or the spy; also reaches the tools started below.
        NativeEnvironment.Set("SOFTHSM2_CONF", ConfigurationPath);
        NativeEnvironment.Set("PKCS11SPY", ModulePath);
        NativeEnvironment.Set("PKCS11SPY_OUTPUT", SpyLogPath);

        ScratchSoftHsmStore.InitToken(ToolEnvironment, TokenLabel, UserPin, SoPin);
        Pkcs11ToolLoggedIn("--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "rsa-2048");
        Pkcs11ToolLoggedIn("--keypairgen", "--key-type", "EC:prime256v1", "--id", "02", "--label", "ec-p256");
        Pkcs11ToolLoggedIn("--keypairgen", "--key-type", "EC:edwards25519", "--id", "03", "--label", "ed25519");
        var certificate = store.IssueCertificate(ToolEnvironment, TokenLabel, "01", "/CN=tokenservice-client", "/CN=TokenService test CA");
        Pkcs11ToolLoggedIn("--write-object", certificate, "--type", "cert", "--id", "01", "--label", "rsa-2048-cert");
        return File.ReadAllBytes(certificate);
    }

    public string ConfigurationPath { get; }

    /// <summary>
    /// Where <see cref="SpyModulePath"/> logs the calls it forwards. Loading the spy in this process reaches the
    /// same SoftHSM instance (its C_Initialize answers CKR_CRYPTOKI_ALREADY_INITIALIZED, which is fine).
    /// The spy logs C_Login's PIN bytes too: only test PINs pass here, and the log goes with the fixture.
    /// </summary>
    public string SpyLogPath { get; }

    /// <summary>What the tools need to find this token: SOFTHSM2_CONF.</summary>
    public IReadOnlyDictionary<string, string> ToolEnvironment { get; }

    /// <summary>The DER certificate stored on the token for the RSA key.</summary>
    public byte[] CertificateDer { get; }

    /// <summary>A scratch directory that goes away with the fixture.</summary>
    public string WorkingDirectory => store.Folder;

    /// <summary>One inventory, with the PIN handed over as UTF-8 bytes and cleared afterwards, as a caller must.</summary>
    public static ModuleSnapshot Read(string modulePath, string? tokenLabel, string? pin)
    {
        var pinBytes = pin is null ? null : Encoding.UTF8.GetBytes(pin);
        try
        {
            return Pkcs11Inventory.Read(modulePath, new InventoryRequest { TokenLabel = tokenLabel, Pin = pinBytes });
        }
        finally
        {
            pinBytes?.AsSpan().Clear();
        }
    }

    /// <summary>pkcs11-tool against this token, without logging in.</summary>
    public string Pkcs11Tool(params string[] arguments) =>
        ExternalTool.Run("pkcs11-tool", "opensc", ToolEnvironment,
            ["--module", ModulePath, "--token-label", TokenLabel, .. arguments]);

    /// <summary>pkcs11-tool against this token, logged in as the user.</summary>
    public string Pkcs11ToolLoggedIn(params string[] arguments) => Pkcs11Tool(["--login", "--pin", UserPin, .. arguments]);

    /// <summary>The PKCS#11 functions the spy has seen called so far, in order (its "12: C_Login" lines).</summary>
    public IReadOnlyList<string> SpiedCalls()
    {
        if (!File.Exists(SpyLogPath))
        {
            return [];
        }

        return File.ReadLines(SpyLogPath)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit)
                && parts[1].StartsWith("C_", StringComparison.Ordinal))
            .Select(parts => parts[1])
            .ToList();
    }

    public void Dispose() => store.Dispose();
}

/// <summary>Every test that loads SoftHSM in this process: one fixture, one configuration, run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM";
}
