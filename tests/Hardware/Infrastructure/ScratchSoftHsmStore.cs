using TokenService.Tests.Hardware.Tools;
using Xunit;

namespace TokenService.Tests.Hardware.Infrastructure;

/// <summary>
/// A SoftHSM store in a temporary directory of its own, for the fixtures that make their own tokens: one token
/// directory, SoftHSM configurations over it, PIN files, tokens and certificates made with the real tools. Child
/// processes reach it through the configuration's SOFTHSM2_CONF, so the module a test process may have loaded with
/// another configuration is untouched. The directory goes away with the store.
/// </summary>
internal sealed class ScratchSoftHsmStore : IDisposable
{
    private readonly DirectoryInfo directory;

    public ScratchSoftHsmStore(string prefix)
    {
        Assert.False(OperatingSystem.IsWindows(), "SoftHSM stores and PIN file modes are POSIX");
        directory = Directory.CreateTempSubdirectory(prefix);
        TokenDirectory = Directory.CreateDirectory(In("tokens")).FullName;
    }

    /// <summary>The scratch directory (mode 0700, as CreateTempSubdirectory makes it).</summary>
    public string Folder => directory.FullName;

    public string TokenDirectory { get; }

    /// <summary>A path in the scratch directory.</summary>
    public string In(string name) => Path.Combine(Folder, name);

    /// <summary>SOFTHSM2_CONF for the tools and child processes that use <paramref name="configuration"/>.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string configuration) =>
        new Dictionary<string, string> { ["SOFTHSM2_CONF"] = configuration };

    /// <summary>
    /// A SoftHSM configuration over this store's tokens; with <paramref name="mechanisms"/>, a `slots.mechanisms`
    /// whitelist (SoftHSM 2.6.1 ignores the first entry of a `-` blacklist, so a list names what stays).
    /// </summary>
    public string WriteConfiguration(string name, IEnumerable<string>? mechanisms = null)
    {
        var path = In(name);
        var whitelist = mechanisms is null ? "" : $"slots.mechanisms = {string.Join(',', mechanisms)}\n";
        File.WriteAllText(path, $"directories.tokendir = {TokenDirectory}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n{whitelist}");
        return path;
    }

    /// <summary>A file only this user can read (mode 0600), such as a test PIN, written as given.</summary>
    public string WriteSecret(string name, string content)
    {
        var path = In(name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>A new token in the store's free slot.</summary>
    public static void InitToken(IReadOnlyDictionary<string, string> environment, string label, string pin, string soPin) =>
        ExternalTool.Run("softhsm2-util", "softhsm2", environment, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", soPin);

    /// <summary>
    /// A certificate for the public key of key <paramref name="id"/> on token <paramref name="label"/>, signed by a
    /// throwaway P-256 CA: openssl's -force_pubkey puts the token's key in without its private key (or the libp11
    /// engine, which an Ed25519 key on the token breaks, docs/tls-client-auth.md §7). <paramref name="extensions"/>
    /// are openssl extension lines. Returns the DER certificate's path.
    /// </summary>
    public string IssueCertificate(
        IReadOnlyDictionary<string, string> environment, string label, string id, string subject, string caSubject, string? extensions = null)
    {
        ExternalTool.Run("pkcs11-tool", "opensc", environment, "--module", Repo.SoftHsmModule, "--token-label", label,
            "--read-object", "--type", "pubkey", "--id", id, "--output-file", In("pub.der"));
        Openssl("pkey", "-pubin", "-inform", "DER", "-in", In("pub.der"), "-out", In("pub.pem"));
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", In("ca.key"), "-out", In("ca.pem"), "-subj", caSubject, "-days", "30");
        Openssl("req", "-new", "-key", In("ca.key"), "-subj", subject, "-out", In("client.csr"));
        string[] signing = ["x509", "-req", "-in", In("client.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-force_pubkey", In("pub.pem"), "-days", "30", "-outform", "DER", "-out", In("client.der")];
        if (extensions is not null)
        {
            File.WriteAllText(In("client.ext"), extensions);
            signing = [.. signing, "-extfile", In("client.ext")];
        }

        Openssl(signing);
        return In("client.der");
    }

    public void Dispose() => directory.Delete(recursive: true);

    private static void Openssl(params string[] arguments) =>
        ExternalTool.Run("openssl", "openssl", new Dictionary<string, string>(), arguments);
}
