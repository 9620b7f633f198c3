using Xunit;
using System.Collections.Concurrent;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;

namespace TokenService.Tests.Hardware.Profiles;

/// <summary>
/// Provisions every SoftHSM profile once (softhsm-config/provision.sh is idempotent, so a second run costs
/// little) and caches one `check --format json` per profile and server list.
/// </summary>
public sealed class ProfilesFixture : IAsyncLifetime
{
    /// <summary>
    /// One child process at a time per profile token, across every test class (hence static). SoftHSM's file store is
    /// shared by the processes that open it; a full run with a .NET handshake, a check and a libp11 handshake on one
    /// token at once saw C_GetTokenInfo fail with CKR_GENERAL_ERROR (ec-p384, twice). A card in a reader is used by one
    /// client at a time too; different profiles still run in parallel.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> TokenTurns = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string, string?), Task<TokenReport>> _reports = new();
    private readonly ConcurrentDictionary<string, Task<(int ExitCode, TokenReport Report)>> _withoutPin = new();

    public string Directory { get; } = Environment.GetEnvironmentVariable("TOKENSERVICE_TEST_PROFILES") ?? Repo.Path(".tokenservice", "test-profiles");

    public string PinFile => Path.Combine(Directory, "pin");

    public string CaFile => Path.Combine(Directory, "ca", "ca.pem");

    public string ConfigOf(string profile) => Path.Combine(Directory, profile, "softhsm2.conf");

    /// <summary>The PKCS#11 module a profile's token is used through: a card family's view (tools/p11view.so) or SoftHSM2.</summary>
    public string ModuleOf(string profile) => IsFamily(profile) ? Path.Combine(Directory, "tools", "p11view.so") : Repo.SoftHsmModule;

    /// <summary>The token label as the profile's module shows it (a family's view shows its middleware's label).</summary>
    public string LabelOf(string profile) => ManifestRow(profile)[2];

    /// <summary>A card family profile (FAMILY=ID, softhsm-config/README.md).</summary>
    public static bool IsFamily(string profile) => Setting(profile, "FAMILY") is not null;

    public static IEnumerable<string> FamilyNames() => Names().Where(IsFamily);

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Repo.Path("softhsm-config", "profiles"), "*.profile")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Order(StringComparer.Ordinal);

    public static string Expected(string profile, string key) =>
        Optional(profile, key) ?? throw new InvalidOperationException($"{profile}.profile sets no {key}");

    /// <summary>
    /// A profile setting, or null when the profile leaves it at provision.sh's default. A card family profile's
    /// EXPECTED_VERDICT is the catalog's, as provision.sh reads it.
    /// </summary>
    public static string? Optional(string profile, string key) =>
        key == "EXPECTED_VERDICT" && Setting(profile, "FAMILY") is { } family ? FamilyCatalog.ExpectedVerdict(family) : Setting(profile, key);

    private static string? Setting(string profile, string key) =>
        File.ReadLines(Repo.Path("softhsm-config", "profiles", profile + ".profile"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(l => l[(key.Length + 1)..].Trim('"'))
            .SingleOrDefault();

    public async Task InitializeAsync()
    {
        Repo.Require("softhsm2-util", "softhsm2");
        Repo.Require("pkcs11-tool", "opensc");
        Repo.Require(Repo.SoftHsmModule, "softhsm2");
        var result = await ChildProcess.RunAsync(Repo.Path("softhsm-config", "provision.sh"), [Directory], timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"provision.sh failed ({result.ExitCode}): {result.Stderr}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs <paramref name="use"/> (a child process on the profile's token) when no other test uses that token.</summary>
    public static async Task<T> OneAtATimeAsync<T>(string profile, Func<Task<T>> use)
    {
        var turn = TokenTurns.GetOrAdd(profile, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync();
        try
        {
            return await use();
        }
        finally
        {
            turn.Release();
        }
    }

    private string[] ManifestRow(string profile) =>
        File.ReadLines(Path.Combine(Directory, "manifest.tsv")).Select(l => l.Split('\t')).SingleOrDefault(c => c[0] == profile)
            ?? throw new InvalidOperationException($"{profile} is not in {Directory}/manifest.tsv");

    /// <summary>The report of `tokenservice check` for one profile's token (cached).</summary>
    public Task<TokenReport> CheckAsync(string profile, string? serverSchemes = null) =>
        _reports.GetOrAdd((profile, serverSchemes), key => RunCheckAsync(key.Item1, key.Item2));

    /// <summary>`tokenservice check --clients LIST` for one profile's token (not cached).</summary>
    public Task<TokenReport> CheckForClientsAsync(string profile, string clients) => RunCheckAsync(profile, ["--clients", clients]);

    /// <summary>The report of `tokenservice check --server ENDPOINT` (not cached: servers come and go).</summary>
    public Task<TokenReport> CheckAgainstServerAsync(string profile, string endpoint) => RunCheckAsync(profile, ["--server", endpoint]);

    /// <summary>`tokenservice check` of one profile's token with no PIN source at all (cached), and its exit code.</summary>
    public Task<(int ExitCode, TokenReport Report)> CheckWithoutPinAsync(string profile) =>
        _withoutPin.GetOrAdd(profile, async p =>
        {
            var result = await OneAtATimeAsync(p, () => ChildProcess.TokenServiceAsync(
                ["check", "--module", ModuleOf(p), "--token", LabelOf(p), "--format", "json"],
                new Dictionary<string, string> { ["SOFTHSM2_CONF"] = ConfigOf(p) }));
            Assert.True(result.ExitCode is 0 or 1 or 2 or 6, $"check {p} without a PIN exited {result.ExitCode}: {result.Stderr}");
            return (result.ExitCode, JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)
                ?? throw new InvalidOperationException("empty report"));
        });

    private Task<TokenReport> RunCheckAsync(string profile, string? serverSchemes) =>
        RunCheckAsync(profile, serverSchemes is null ? [] : ["--server-schemes", serverSchemes]);

    private async Task<TokenReport> RunCheckAsync(string profile, string[] serverArgs)
    {
        List<string> args = ["check", "--module", ModuleOf(profile), "--token", LabelOf(profile), "--format", "json", "--pin-file", PinFile, .. serverArgs];
        var result = await OneAtATimeAsync(profile, () => ChildProcess.TokenServiceAsync(args, new Dictionary<string, string> { ["SOFTHSM2_CONF"] = ConfigOf(profile) }));
        Assert.True(result.ExitCode is 0 or 1 or 2 or 6, $"check {profile} exited {result.ExitCode}: {result.Stderr}");
        return JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)
            ?? throw new InvalidOperationException("empty report");
    }
}

[CollectionDefinition(Name)]
public sealed class ProfilesCollection : ICollectionFixture<ProfilesFixture>
{
    public const string Name = "SoftHSM profiles";
}
