using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using TokenService.Input;

namespace TokenService.Locating;

/// <summary>
/// Reads and checks a bench bindings file: a JSON array of objects with the keys reader, atr, module,
/// environment, token and pinFile (README "Bench bindings"). Every problem is reported at once, each with the
/// binding's position, so a bench is fixed in one edit. Relative paths are taken from the file's folder.
/// </summary>
internal static class BenchBindingsFile
{
    /// <summary>The most a bindings file may be: a bench of a hundred readers needs a few KiB.</summary>
    public const int MaxFileBytes = 4 << 20;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly string[] KnownKeys = ["reader", "atr", "module", "environment", "token", "pinFile"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and checks <paramref name="path"/>.</summary>
    /// <exception cref="BenchBindingsException">The file is missing, unreadable, not JSON, or a binding is wrong.</exception>
    public static ImmutableArray<BenchBinding> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            // Bounded (issue 9 §2): a bindings file pointed at /dev/zero or a FIFO that never ends costs at most
            // MaxFileBytes and ends in one line, not in a hang or OutOfMemoryException at the service's start.
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            bytes = BoundedInput.ReadAtMost(stream, MaxFileBytes + 1, stopAtNewline: false, fullPath, "bench bindings");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BenchBindingsException(fullPath, [$"cannot read the file: {e.Message}"]);
        }
        catch (InputException e)
        {
            throw new BenchBindingsException(fullPath, [e.Message]);
        }

        if (bytes.Length > MaxFileBytes)
        {
            throw new BenchBindingsException(fullPath, [$"larger than {MaxFileBytes >> 20} MiB: refused"]);
        }

        var text = bytes.AsSpan();
        return Parse(Encoding.UTF8.GetString(text.StartsWith(Utf8Bom) ? text[Utf8Bom.Length..] : text), Path.GetDirectoryName(fullPath)!, fullPath);
    }

    /// <summary>Parses bindings from text; relative module and PIN file paths resolve against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="BenchBindingsException">Not JSON, or a binding is wrong.</exception>
    public static ImmutableArray<BenchBinding> Parse(string json, string baseDirectory, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BenchBindingsException(source, [$"not valid JSON: {e.Message}"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new BenchBindingsException(source, [$"expected a JSON array of bindings, found {Describe(document.RootElement.ValueKind)}"]);
            }

            var errors = new List<string>();
            var bindings = ImmutableArray.CreateBuilder<BenchBinding>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                var problems = new List<string>();
                var binding = ReadBinding(element, baseDirectory, problems);
                if (problems.Count > 0)
                {
                    var reader = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("reader", out var r) && r.ValueKind == JsonValueKind.String
                        ? $" (reader \"{r.GetString()}\")"
                        : "";
                    errors.AddRange(problems.Select(p => $"binding {index}{reader}: {p}"));
                }
                else
                {
                    bindings.Add(binding!);
                }
            }

            if (errors.Count > 0)
            {
                throw new BenchBindingsException(source, errors);
            }

            return bindings.ToImmutable();
        }
    }

    private static BenchBinding? ReadBinding(JsonElement element, string baseDirectory, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"expected an object, found {Describe(element.ValueKind)}");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!KnownKeys.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add($"unknown key \"{property.Name}\" (known keys: {string.Join(", ", KnownKeys)})");
            }
            else if (!seen.Add(property.Name))
            {
                problems.Add($"\"{property.Name}\" is given twice");
            }
        }

        ReaderPattern? reader = null;
        if (RequiredString(element, "reader", problems) is { } readerText && !ReaderPattern.TryParse(readerText, out reader, out var readerError))
        {
            problems.Add("reader: " + readerError);
        }

        AtrPattern? atr = null;
        if (OptionalString(element, "atr", problems) is { } atrText && !AtrPattern.TryParse(atrText, out atr, out var atrError))
        {
            problems.Add("atr: bad hex " + atrError);
        }

        var module = RequiredString(element, "module", problems) is { } moduleText ? Resolve(moduleText, baseDirectory) : null;
        if (module is not null && !File.Exists(module))
        {
            problems.Add($"module: {module} does not exist");
        }

        var token = RequiredString(element, "token", problems);
        var pinFile = OptionalString(element, "pinFile", problems) is { } pinText ? Resolve(pinText, baseDirectory) : null;
        if (pinFile is not null && !File.Exists(pinFile))
        {
            problems.Add($"pinFile: {pinFile} does not exist");
        }

        var environment = ReadEnvironment(element, problems);
        return problems.Count > 0
            ? null
            : new BenchBinding(reader!, atr, module!, environment, token!, pinFile);
    }

    private static Dictionary<string, string> ReadEnvironment(JsonElement element, List<string> problems)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty("environment", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return environment;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"environment: expected an object of NAME: \"value\", found {Describe(value.ValueKind)}");
            return environment;
        }

        foreach (var variable in value.EnumerateObject())
        {
            if (variable.Name.Length == 0 || variable.Name.Contains('=', StringComparison.Ordinal))
            {
                problems.Add($"environment: \"{variable.Name}\" is not a variable name");
            }
            else if (variable.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"environment: {variable.Name}: expected a string, found {Describe(variable.Value.ValueKind)}");
            }
            else
            {
                environment[variable.Name] = variable.Value.GetString()!;
            }
        }

        return environment;
    }

    private static string? RequiredString(JsonElement element, string key, List<string> problems)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add($"missing \"{key}\"");
            return null;
        }

        return String(value, key, problems);
    }

    private static string? OptionalString(JsonElement element, string key, List<string> problems) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? String(value, key, problems) : null;

    private static string? String(JsonElement value, string key, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{key}: expected a string, found {Describe(value.ValueKind)}");
            return null;
        }

        if (value.GetString() is not { Length: > 0 } text)
        {
            problems.Add($"{key}: is empty");
            return null;
        }

        return text;
    }

    private static string Resolve(string path, string baseDirectory) => Path.GetFullPath(path, baseDirectory);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}

/// <summary>A bench bindings file cannot be used: each line of <see cref="Errors"/> is one problem.</summary>
internal sealed class BenchBindingsException(string path, IReadOnlyList<string> errors)
    : Exception($"bench bindings {path}: {string.Join("; ", errors)}")
{
    public string Path { get; } = path;

    public IReadOnlyList<string> Errors { get; } = errors;
}
