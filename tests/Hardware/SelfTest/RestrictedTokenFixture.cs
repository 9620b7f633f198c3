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

    private readonly DirectoryInfo directory;

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
        directory = Directory.CreateTempSubdirectory("tokenservice-selftest-");
        try
        {
            var tokens = Directory.CreateDirectory(Path.Combine(directory.FullName, "tokens")).FullName;
            var unrestricted = WriteConfig("provision.conf", tokens, "ALL");
            RestrictedConfig = WriteConfig("softhsm2.conf", tokens, RestrictedMechanisms);
            PinFile = WriteSecret("pin", UserPin);
            WrongPinFile = WriteSecret("wrong-pin", WrongPin);
            CreateToken(new Dictionary<string, string> { ["SOFTHSM2_CONF"] = unrestricted });
            ShimPath = Path.Combine(directory.FullName, "libinfo-listing-shim.so");
            ExternalTool.Run(compiler, "clang", new Dictionary<string, string>(),
                "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", ShimPath,
                Repo.Path("tests", "Hardware", "SelfTest", "info-listing-shim.c"), "-ldl");
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>OpenSC's logging proxy: forwards every call to PKCS11SPY and logs it to PKCS11SPY_OUTPUT.</summary>
    public static string SpyModulePath => "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";

    /// <summary>The configuration the checks run under: every mechanism but CKM_RSA_PKCS gone.</summary>
    public string RestrictedConfig { get; }

    /// <summary>The module that lists what SoftHSM's C_GetMechanismInfo claims (CKM_RSA_PKCS_PSS here).</summary>
    public string ShimPath { get; }

    public string PinFile { get; }

    public string WrongPinFile { get; }

    public string WorkingDirectory => directory.FullName;

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

    public void Dispose() => directory.Delete(recursive: true);

    private void CreateToken(IReadOnlyDictionary<string, string> env)
    {
        string In(string name) => Path.Combine(directory.FullName, name);
        ExternalTool.Run("softhsm2-util", "softhsm2", env, "--init-token", "--free", "--label", TokenLabel, "--pin", UserPin, "--so-pin", SoPin);

        // p11tool can leave CKA_PRIVATE false (pkcs11-tool cannot), so the key shows without a PIN.
        ExternalTool.Run("p11tool", "gnutls-bin", new Dictionary<string, string>(env) { ["GNUTLS_PIN"] = UserPin },
            "--provider", Repo.SoftHsmModule, "--login", "--generate-privkey=rsa", "--bits=2048", "--label", "auth",
            "--id", "01", "--mark-sign", "--no-mark-private", "--outfile", "/dev/null", $"pkcs11:token={TokenLabel}");

        // A certificate for the token's key from a throwaway CA (-force_pubkey needs no private key).
        ExternalTool.Run("pkcs11-tool", "opensc", env, "--module", Repo.SoftHsmModule, "--token-label", TokenLabel,
            "--read-object", "--type", "pubkey", "--id", "01", "--output-file", In("pub.der"));
        Openssl("pkey", "-pubin", "-inform", "DER", "-in", In("pub.der"), "-out", In("pub.pem"));
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", In("ca.key"), "-out", In("ca.pem"), "-subj", "/CN=TokenService self-test CA", "-days", "30");
        File.WriteAllText(In("client.ext"), "keyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\n");
        Openssl("req", "-new", "-key", In("ca.key"), "-subj", "/CN=selftest-restricted", "-out", In("client.csr"));
        Openssl("x509", "-req", "-in", In("client.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-force_pubkey", In("pub.pem"), "-extfile", In("client.ext"), "-days", "30", "-outform", "DER", "-out", In("client.der"));
        ExternalTool.Run("pkcs11-tool", "opensc", env, "--module", Repo.SoftHsmModule, "--token-label", TokenLabel,
            "--login", "--pin", UserPin, "--write-object", In("client.der"), "--type", "cert", "--id", "01", "--label", "auth");

        ExternalTool.Run("softhsm2-util", "softhsm2", env, "--init-token", "--free", "--label", Rsa512Label, "--pin", UserPin, "--so-pin", SoPin);
        ExternalTool.Run("pkcs11-tool", "opensc", env, "--module", Repo.SoftHsmModule, "--token-label", Rsa512Label,
            "--login", "--pin", UserPin, "--keypairgen", "--key-type", "rsa:512", "--usage-sign", "--id", "01", "--label", "auth");
    }

    private string WriteConfig(string name, string tokens, string mechanisms)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, $"""
            directories.tokendir = {tokens}
            objectstore.backend = file
            log.level = ERROR
            slots.removable = false
            slots.mechanisms = {mechanisms}
            """);
        return path;
    }

    private string WriteSecret(string name, string value)
    {
        var path = Path.Combine(directory.FullName, name);
        // Test PINs, in a directory only this user can read (CreateTempSubdirectory makes it 0700).
        File.WriteAllText(path, value);
        return path;
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

    private static void Openssl(params string[] arguments) =>
        ExternalTool.Run("openssl", "openssl", new Dictionary<string, string>(), arguments);
}

/// <summary>The restricted token is changed by wrong-PIN tests (CKF_USER_PIN_COUNT_LOW): its tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestrictedTokenCollection : ICollectionFixture<RestrictedTokenFixture>
{
    public const string Name = "SoftHSM restricted after key creation";
}
