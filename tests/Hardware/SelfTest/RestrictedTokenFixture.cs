using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Tools;
using Xunit;

namespace TokenService.Tests.Hardware.SelfTest;

/// <summary>
/// A SoftHSM token whose mechanism list was restricted after its key was made: an RSA-2048 key (CKA_PRIVATE
/// false, so it shows without a login) and its certificate, generated under a configuration that offers every
/// mechanism, then used under one whose `slots.mechanisms` whitelist keeps CKM_RSA_PKCS only.
/// </summary>
/// <remarks>
/// The claim-vs-reality gap it serves: under the restricted configuration SoftHSM 2.6.1 no longer lists
/// CKM_RSA_PKCS_PSS and refuses it in C_SignInit (CKR_MECHANISM_INVALID), yet C_GetMechanismInfo still
/// answers for it with CKF_SIGN (docs/tls-client-auth.md §7). The inventory records that as an unlisted answer and the
/// engine does not trust it; <see cref="ShimPath"/> (info-listing-shim.c) turns SoftHSM's own claim into a
/// listed mechanism, so the engine believes PSS is usable and only signing can show it is not. Everything runs
/// in child processes: SOFTHSM2_CONF is read once per process.
/// </remarks>
public sealed class RestrictedTokenFixture : IDisposable
{
    public const string TokenLabel = "selftest-restricted";

    /// <summary>A second token beside it: one RSA-512 key, no certificate (PKCS#1 DigestInfo sizes, RFC 8017 §9.2).</summary>
    public const string Rsa512Label = "selftest-rsa512";
    public const string UserPin = "424242";
    public const string WrongPin = "909090";
    public const string RestrictedMechanisms = "CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_RSA_PKCS";
    private const string SoPin = "86428642";

    private readonly ScratchSoftHsmStore store;

    public RestrictedTokenFixture()
    {
        // Every tool first: a missing one fails here with the package to install, before anything is made.
        ExternalTool.RequireFile(Repo.SoftHsmModule, "softhsm2");
        ExternalTool.RequireFile(SpyModulePath, "opensc-pkcs11");
        ExternalTool.Find("softhsm2-util", "softhsm2");
        ExternalTool.Find("pkcs11-tool", "opensc");
        ExternalTool.Find("p11tool", "gnutls-bin");
        ExternalTool.Find("openssl", "openssl");
        var compiler = CCompiler();
        store = new ScratchSoftHsmStore("tokenservice-selftest-");
        try
        {
            var unrestricted = store.WriteConfiguration("provision.conf");
            RestrictedConfig = store.WriteConfiguration("softhsm2.conf", RestrictedMechanisms.Split(','));
            PinFile = store.WriteSecret("pin", UserPin);
            WrongPinFile = store.WriteSecret("wrong-pin", WrongPin);
            CreateToken(ScratchSoftHsmStore.Environment(unrestricted));
            ShimPath = store.In("libinfo-listing-shim.so");
            ExternalTool.Run(compiler, "clang", new Dictionary<string, string>(),
                "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", ShimPath,
                Repo.Path("tests", "Hardware", "SelfTest", "info-listing-shim.c"), "-ldl");
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>OpenSC's logging proxy: forwards every call to PKCS11SPY and logs it to PKCS11SPY_OUTPUT.</summary>
    public static string SpyModulePath => Repo.SpyModule;

    /// <summary>The configuration the checks run under: every mechanism but CKM_RSA_PKCS gone.</summary>
    public string RestrictedConfig { get; }

    /// <summary>The module that lists what SoftHSM's C_GetMechanismInfo claims (CKM_RSA_PKCS_PSS here).</summary>
    public string ShimPath { get; }

    public string PinFile { get; }

    public string WrongPinFile { get; }

    public string WorkingDirectory => store.Folder;

    /// <summary>The environment for the shim in front of SoftHSM under the restricted configuration.</summary>
    public Dictionary<string, string> ShimEnvironment() => new()
    {
        ["SOFTHSM2_CONF"] = RestrictedConfig,
        ["TOKENSERVICE_SHIM_MODULE"] = Repo.SoftHsmModule,
        ["TOKENSERVICE_SHIM_MECHANISMS"] = "0xd", // CKM_RSA_PKCS_PSS
    };

    /// <summary>`tokenservice check --format json` for this token, with the given module and options.</summary>
    internal static Task<(ChildProcess.Result Result, TokenReport Report)> CheckAsync(
        string module, IReadOnlyDictionary<string, string> environment, params string[] options) =>
        CheckTokenAsync(TokenLabel, module, environment, options);

    internal static async Task<(ChildProcess.Result Result, TokenReport Report)> CheckTokenAsync(
        string label, string module, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var result = await ChildProcess.TokenServiceAsync(
            ["check", "--module", module, "--token", label, "--format", "json", .. options], environment);
        // 7: the PIN was refused; the report (made without login) is printed all the same.
        Assert.True(result.ExitCode is 0 or 1 or 2 or 6 or 7, $"check exited {result.ExitCode}: {result.Stderr}");
        var report = JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)
            ?? throw new InvalidOperationException("empty report");
        return (result, report);
    }

    /// <summary>The same check with SoftHSM behind pkcs11-spy, and the calls the spy saw.</summary>
    internal async Task<(ChildProcess.Result Result, TokenReport Report, IReadOnlyList<SpiedCall> Calls)> CheckThroughSpyAsync(params string[] options)
    {
        var log = Path.Combine(WorkingDirectory, $"spy-{Guid.NewGuid():N}.log");
        var env = SpiedCall.Environment(Repo.SoftHsmModule, log, new Dictionary<string, string> { ["SOFTHSM2_CONF"] = RestrictedConfig });
        var (result, report) = await CheckAsync(SpyModulePath, env, options);
        return (result, report, SpiedCall.Read(log));
    }

    public void Dispose() => store.Dispose();

    private void CreateToken(IReadOnlyDictionary<string, string> env)
    {
        ScratchSoftHsmStore.InitToken(env, TokenLabel, UserPin, SoPin);

        // p11tool can leave CKA_PRIVATE false (pkcs11-tool cannot), so the key shows without a PIN.
        ExternalTool.Run("p11tool", "gnutls-bin", new Dictionary<string, string>(env) { ["GNUTLS_PIN"] = UserPin },
            "--provider", Repo.SoftHsmModule, "--login", "--generate-privkey=rsa", "--bits=2048", "--label", "auth",
            "--id", "01", "--mark-sign", "--no-mark-private", "--outfile", "/dev/null", $"pkcs11:token={TokenLabel}");

        var certificate = store.IssueCertificate(env, TokenLabel, "01", "/CN=selftest-restricted", "/CN=TokenService self-test CA",
            "keyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\n");
        ExternalTool.Run("pkcs11-tool", "opensc", env, "--module", Repo.SoftHsmModule, "--token-label", TokenLabel,
            "--login", "--pin", UserPin, "--write-object", certificate, "--type", "cert", "--id", "01", "--label", "auth");

        ScratchSoftHsmStore.InitToken(env, Rsa512Label, UserPin, SoPin);
        ExternalTool.Run("pkcs11-tool", "opensc", env, "--module", Repo.SoftHsmModule, "--token-label", Rsa512Label,
            "--login", "--pin", UserPin, "--keypairgen", "--key-type", "rsa:512", "--usage-sign", "--id", "01", "--label", "auth");
    }

    /// <summary>cc, else clang (which eng/install-deps.sh installs for the NativeAOT link step).</summary>
    private static string CCompiler()
    {
        try
        {
            ExternalTool.Find("cc", "gcc");
            return "cc";
        }
        catch (InvalidOperationException)
        {
            ExternalTool.Find("clang", "clang");
            return "clang";
        }
    }
}

/// <summary>The restricted token is changed by wrong-PIN tests (CKF_USER_PIN_COUNT_LOW): its tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestrictedTokenCollection : ICollectionFixture<RestrictedTokenFixture>
{
    public const string Name = "SoftHSM restricted after key creation";
}
