using System.Collections;
using System.Collections.Frozen;

namespace TokenService.Probing;

/// <summary>
/// The environment a probe host starts with: the module configuration's own variables (a binding's
/// <c>environment</c>), over the few the service passes on from its own environment, and nothing else. A service's
/// environment holds secrets a module has no business seeing (<c>TOKENSERVICE__SERVE__APIKEY</c>; issue 9 §7), and a
/// module runs whatever it likes in the host.
/// </summary>
internal static class ProbeHostEnvironment
{
    /// <summary>
    /// Passed on by name. Besides what any process reads (search path, home, user, locale, time zone, temporary
    /// files; ld.so(8)'s library path), the variables the modules this service loads read from their environment:
    /// the names in Debian 12's libsofthsm2.so (SOFTHSM2_CONF, HOME), libopensc.so.8 (XDG_CACHE_HOME),
    /// libp11-kit.so.0 (XDG_CONFIG_HOME, XDG_RUNTIME_DIR, XDG_CACHE_HOME), and libcrypto's configuration as those
    /// modules load it (OPENSSL_CONF, OPENSSL_MODULES: openssl-env(7)).
    /// </summary>
    private static readonly FrozenSet<string> Names = new[]
    {
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "LD_LIBRARY_PATH",
        "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
        "SOFTHSM2_CONF", "OPENSSL_CONF", "OPENSSL_MODULES",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Passed on by prefix: the C library's locale categories; OpenSC's (OPENSC_CONF, OPENSC_DRIVER, OPENSC_DEBUG),
    /// pcsc-lite's client library's (PCSCLITE_CSOCK_NAME: pcscd's socket) and p11-kit's own settings, as named in
    /// those libraries; and the .NET runtime's (DOTNET_ROOT for a host run under `dotnet`, DOTNET_GC* settings).
    /// </summary>
    private static readonly string[] Prefixes = ["LC_", "OPENSC_", "PCSCLITE_", "P11_KIT_", "DOTNET_"];

    /// <summary>
    /// The garbage collector's configuration for a probe host, a resident helper that answers one small request at a
    /// time: a 512 KiB gen0 budget in 1 MiB regions (NativeAOT reads DOTNET_GC* settings as hexadecimal) instead of
    /// the default 4 MiB regions and a cache-sized budget. Measured over 400 probes of one SoftHSM token
    /// (docs/benchmarks.md, "Resident memory"): steady state 20.3 MiB instead of 21.7 MiB. Set by the
    /// environment only, so that the one-shot `check` keeps the default (fewer collections); a DOTNET_GC* variable in
    /// the service's environment wins.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ResidentGc = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_GCgen0size"] = "80000",
        ["DOTNET_GCRegionSize"] = "100000",
    };

    /// <summary>Whether the service passes its own variable <paramref name="name"/> on to a probe host.</summary>
    public static bool Passes(string name) =>
        Names.Contains(name) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// Replaces <paramref name="environment"/> (a <see cref="System.Diagnostics.ProcessStartInfo.Environment"/>, which
    /// starts as a copy of this process's) with <see cref="ResidentGc"/>, the variables <see cref="Passes"/> keeps from
    /// <paramref name="inherited"/> and then <paramref name="configured"/>, each winning over the one before.
    /// </summary>
    public static void Apply(IDictionary<string, string?> environment, IDictionary inherited, IReadOnlyDictionary<string, string> configured)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(inherited);
        ArgumentNullException.ThrowIfNull(configured);
        environment.Clear();
        foreach (var (name, value) in ResidentGc)
        {
            environment[name] = value;
        }

        foreach (DictionaryEntry variable in inherited)
        {
            if (variable.Key is string name && Passes(name))
            {
                environment[name] = variable.Value as string;
            }
        }

        foreach (var (name, value) in configured)
        {
            environment[name] = value;
        }
    }
}
