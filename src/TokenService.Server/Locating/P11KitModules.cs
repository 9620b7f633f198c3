namespace TokenService.Locating;

/// <summary>A PKCS#11 module registered with p11-kit: its name (the config file's name) and the library to load.</summary>
internal sealed record P11KitModule(string Name, string Path, string ConfigFile);

/// <summary>The modules p11-kit registers, and the config files it would have refused.</summary>
internal sealed record P11KitRegistry(IReadOnlyList<P11KitModule> Modules, IReadOnlyList<string> Problems)
{
    public P11KitModule? Find(string name) => Modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// Reads the module registry as p11-kit does (pkcs11.conf(5); p11-kit conf.c): every `NAME.module` file in the
/// config directories, `key: value` lines and `#` comments. A name in an earlier directory wins key by key over
/// the same name in a later one (/etc/pkcs11/modules before /usr/share/p11-kit/modules). A relative `module:`
/// is found in p11-kit's module directory. A module whose `enable-in` leaves out, or whose `disable-in` names,
/// this program is skipped, as p11-kit skips it for programs so named.
/// </summary>
internal static class P11KitModules
{
    /// <summary>The program name p11-kit's enable-in and disable-in lists would use for us.</summary>
    public const string ProgramName = "tokenservice";

    /// <summary>Debian's directories, system before package (p11-kit's own order of precedence).</summary>
    public static readonly IReadOnlyList<string> DefaultConfigDirectories = ["/etc/pkcs11/modules", "/usr/share/p11-kit/modules"];

    private const string Suffix = ".module";

    /// <summary>p11-kit's p11_module_path on Debian (`pkg-config --variable p11_module_path p11-kit-1`).</summary>
    public static string DefaultModuleDirectory =>
        $"/usr/lib/{(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "aarch64" : "x86_64")}-linux-gnu/pkcs11";

    /// <summary>Reads the registry; missing directories are empty, as for p11-kit.</summary>
    public static P11KitRegistry Read(IEnumerable<string> configDirectories, string moduleDirectory)
    {
        var configs = new Dictionary<string, (Dictionary<string, string> Values, string File)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var directory in configDirectories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, "*" + Suffix).Order(StringComparer.Ordinal))
            {
                var name = System.IO.Path.GetFileName(file)[..^Suffix.Length];
                if (!TryParse(File.ReadLines(file), out var values, out var error))
                {
                    problems.Add($"{file}: {error}");
                    continue;
                }

                if (configs.TryGetValue(name, out var earlier))
                {
                    foreach (var (key, value) in values)
                    {
                        earlier.Values.TryAdd(key, value);
                    }
                }
                else
                {
                    configs.Add(name, (values, file));
                }
            }
        }

        var modules = new List<P11KitModule>();
        foreach (var (name, (values, file)) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!values.TryGetValue("module", out var library) || library.Length == 0)
            {
                problems.Add($"{file}: no 'module:' line; p11-kit ignores it");
            }
            else if (EnabledForUs(values))
            {
                modules.Add(new P11KitModule(name, System.IO.Path.GetFullPath(library, moduleDirectory), file));
            }
        }

        return new P11KitRegistry(modules, problems);
    }

    /// <summary>
    /// Parses one config file: `key: value` per line, blanks around both trimmed, `#` starts a comment line. A
    /// line without a colon makes p11-kit refuse the file, so it is refused here too.
    /// </summary>
    public static bool TryParse(IEnumerable<string> lines, out Dictionary<string, string> values, out string? error)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = $"line {number}: expected 'key: value'";
                return false;
            }

            values[line[..colon].TrimEnd()] = line[(colon + 1)..].Trim();
        }

        error = null;
        return true;
    }

    private static bool EnabledForUs(Dictionary<string, string> values)
    {
        static bool Lists(string? list) => list is not null
            && list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Contains(ProgramName, StringComparer.Ordinal);

        values.TryGetValue("enable-in", out var enableIn);
        values.TryGetValue("disable-in", out var disableIn);
        return (enableIn is null || Lists(enableIn)) && !Lists(disableIn);
    }
}
