using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenService.VirtualCards;

/// <summary>Which card a state file holds.</summary>
internal enum CardKind
{
    Piv,
    PivEc,
    Jpki,
}

/// <summary>One PIN of a virtual card and its retry counter, as the state file stores it.</summary>
internal sealed class PinRecord
{
    [JsonPropertyName("reference")] public required string Reference { get; init; }

    [JsonPropertyName("value")] public required string Value { get; init; }

    [JsonPropertyName("maxTries")] public required int MaxTries { get; init; }

    [JsonPropertyName("triesLeft")] public required int TriesLeft { get; set; }
}

/// <summary>One key slot or certificate file: the private key (PKCS#8, absent for a CA certificate) and the certificate (DER).</summary>
internal sealed class KeyRecord
{
    [JsonPropertyName("reference")] public required string Reference { get; init; }

    [JsonPropertyName("privateKey")] public byte[]? PrivateKey { get; init; }

    [JsonPropertyName("certificate")] public required byte[] Certificate { get; init; }
}

/// <summary>The state file's document: keys, certificates and PIN counters of one virtual card.</summary>
internal sealed class CardStateDocument
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    [JsonPropertyName("guid")] public required byte[] Guid { get; init; }

    [JsonPropertyName("pins")] public required List<PinRecord> Pins { get; init; }

    [JsonPropertyName("keys")] public required List<KeyRecord> Keys { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(CardStateDocument))]
internal sealed partial class CardStateJsonContext : JsonSerializerContext;

/// <summary>
/// A virtual card's persistent memory: the state file, read at insertion and written again (atomically) whenever a
/// PIN counter changes, so that a blocked PIN stays blocked across removals as on a real card.
/// </summary>
internal sealed class CardState
{
    private readonly Lock _gate = new();

    private CardState(string path, CardStateDocument document, CardKind kind)
    {
        Path = path;
        Document = document;
        Kind = kind;
    }

    public string Path { get; }

    public CardStateDocument Document { get; }

    public CardKind Kind { get; }

    public static string KindName(CardKind kind) => kind switch
    {
        CardKind.Piv => "piv",
        CardKind.PivEc => "piv-ec",
        _ => "jpki",
    };

    public static CardKind? ParseKind(string name) => name switch
    {
        "piv" => CardKind.Piv,
        "piv-ec" => CardKind.PivEc,
        "jpki" => CardKind.Jpki,
        _ => null,
    };

    /// <exception cref="CardStateException">The file is missing, unreadable or not a state file.</exception>
    public static CardState Load(string path)
    {
        CardStateDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize(stream, CardStateJsonContext.Default.CardStateDocument);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CardStateException($"cannot read the card state {path}: {e.Message}");
        }

        if (document is null || ParseKind(document.Kind) is not { } kind)
        {
            throw new CardStateException($"{path} is not a virtual card state (kind piv, piv-ec or jpki)");
        }

        return new CardState(path, document, kind);
    }

    public static CardState Create(string path, CardStateDocument document)
    {
        var state = new CardState(path, document, ParseKind(document.Kind) ?? throw new ArgumentException("unknown kind", nameof(document)));
        state.Save();
        return state;
    }

    public PinRecord Pin(string reference) => Document.Pins.Single(p => p.Reference == reference);

    public KeyRecord? Key(string reference) => Document.Keys.FirstOrDefault(k => k.Reference == reference);

    /// <summary>Sets a PIN's counter and writes the file before the card answers (a pulled card keeps the count).</summary>
    public void SetTriesLeft(PinRecord pin, int triesLeft)
    {
        lock (_gate)
        {
            if (pin.TriesLeft == triesLeft)
            {
                return;
            }

            pin.TriesLeft = triesLeft;
            Save();
        }
    }

    private void Save()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(stream, Document, CardStateJsonContext.Default.CardStateDocument);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}

/// <summary>A card state file cannot be used; the message says why.</summary>
internal sealed class CardStateException(string message) : Exception(message);
