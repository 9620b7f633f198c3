using System.Text.Json;
using TokenService.Processes;
using TokenService.SmartCards;

namespace TokenService.Hosting;

/// <summary>
/// The embedded default bench: without bindings, `watch` and `serve` provision the demo SoftHSM profiles (if
/// missing) and bind them: a card carrying a catalog family's ATR (`vcard family`) to that family's profile, seen
/// through softhsm-config/tools/p11view.so as the family's middleware presents it; any other card in either
/// vsmartcard-vpcd reader to that reader's demo profile. So every virtual card gets a verdict.
/// </summary>
internal static class DemoBench
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>Reader → profile: a compatible card and a TLS 1.2-only one (docs/tls-client-auth.md §6 names the readers).</summary>
    public static readonly IReadOnlyList<(string Reader, string Profile)> Readers =
    [
        ("Virtual PCD 00 00", "rsa2048-full"),
        ("Virtual PCD 00 01", "rsa-pkcs1-only"),
    ];

    private static readonly TimeSpan ProvisionBound = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The TokenService checkout: <c>TOKENSERVICE_HOME</c>, else the first folder above this program holding
    /// softhsm-config/provision.sh (the binary is built into .tokenservice/bin of the checkout).
    /// </summary>
    public static string? FindHome()
    {
        if (Environment.GetEnvironmentVariable("TOKENSERVICE_HOME") is { Length: > 0 } home)
        {
            return home;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(ProvisionScript(dir.FullName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Makes sure the demo profiles exist (provision.sh, only when one is missing) in <c>TOKENSERVICE_PROFILES</c>
    /// or HOME/.tokenservice/profiles, writes the bindings file beside them and returns its path.
    /// </summary>
    /// <exception cref="DemoBenchException">No checkout found, or provisioning failed: the message says what to do.</exception>
    public static async Task<string> PrepareAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var home = FindHome() ?? throw new DemoBenchException(
            $"no bindings given and no TokenService checkout found above {AppContext.BaseDirectory} to provision the demo profiles from: " +
            "set TOKENSERVICE_HOME to the checkout, or give --bindings FILE (README \"Bench bindings\")");
        var profiles = Environment.GetEnvironmentVariable("TOKENSERVICE_PROFILES") is { Length: > 0 } given
            ? given
            : Path.Combine(home, ".tokenservice", "profiles");
        var wanted = Readers.Select(r => r.Profile).Concat(CardCatalog.Default.Families.Select(f => f.Id))
            .Where(p => File.Exists(Path.Combine(home, "softhsm-config", "profiles", p + ".profile"))).ToList();
        var missing = wanted.Where(p => !File.Exists(Path.Combine(profiles, p, "softhsm2.conf"))).ToList();
        if (missing.Count > 0 || !File.Exists(Path.Combine(profiles, "pin")))
        {
            await progress.WriteLineAsync($"provisioning the demo SoftHSM profiles ({missing.Count} of {wanted.Count} missing: {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", ..." : "")}) into {profiles}; the first time takes a minute ...");
            await ProvisionAsync(home, profiles, wanted, cancellationToken);
        }

        var bindings = Path.Combine(profiles, "bindings.json");
        var json = Bindings(profiles);
        if (!File.Exists(bindings) || await File.ReadAllTextAsync(bindings, cancellationToken) != json)
        {
            await File.WriteAllTextAsync(bindings, json, cancellationToken);
        }

        return bindings;
    }

    /// <summary>The bench bindings file (README "Bench bindings") for the demo profiles in <paramref name="profiles"/>.</summary>
    public static string Bindings(string profiles)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            WriteFamilies(json, profiles);
            foreach (var (reader, profile) in Readers)
            {
                json.WriteStartObject();
                json.WriteString("reader", reader);
                json.WriteString("module", Module);
                json.WriteStartObject("environment");
                json.WriteString("SOFTHSM2_CONF", Path.Combine(profiles, profile, "softhsm2.conf"));
                json.WriteEndObject();
                json.WriteString("token", profile);
                json.WriteString("pinFile", Path.Combine(profiles, "pin"));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// One binding per provisioned family profile, by the family's ATR in any reader. An ATR that an earlier family
    /// already took (the same card through another middleware: a YubiKey through OpenSC or ykcs11) stays with it.
    /// </summary>
    private static void WriteFamilies(Utf8JsonWriter json, string profiles)
    {
        var module = Path.Combine(profiles, "tools", "p11view.so");
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in CardCatalog.Default.Families)
        {
            var atr = Atr.Compact(family.SampleAtr);
            if (!File.Exists(module) || !File.Exists(Path.Combine(profiles, family.Id, "view.conf")) || !bound.Add(atr))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("reader", "*");
            json.WriteString("atr", atr);
            json.WriteString("module", module);
            json.WriteStartObject("environment");
            json.WriteString("SOFTHSM2_CONF", Path.Combine(profiles, family.Id, "softhsm2.conf"));
            json.WriteEndObject();
            json.WriteString("token", family.Token?.Label ?? family.Id);
            json.WriteString("pinFile", Path.Combine(profiles, "pin"));
            json.WriteEndObject();
        }
    }

    private static string ProvisionScript(string home) => Path.Combine(home, "softhsm-config", "provision.sh");

    private static async Task ProvisionAsync(string home, string profiles, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        int exitCode;
        string errors;
        try
        {
            (exitCode, _, errors) = await ChildProcess.RunAsync(
                ChildProcess.StartInfo(ProvisionScript(home), [profiles, .. names]), ProvisionBound, cancellationToken);
        }
        catch (TimeoutException e)
        {
            (exitCode, errors) = (-1, e.Message);
        }

        if (exitCode != 0)
        {
            var last = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new DemoBenchException(
                $"could not provision the demo profiles into {profiles} (provision.sh exited {exitCode}: {last}); " +
                "it needs softhsm2, opensc, openssl and gnutls-bin (eng/install-deps.sh), or give --bindings FILE");
        }
    }
}

/// <summary>The embedded default bench cannot be set up; the message says why and what to do.</summary>
internal sealed class DemoBenchException(string message) : Exception(message);
