using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenService.Fleet;

/// <summary>
/// Reads a JSON string that repeats across documents (a verdict, a finding code, a fix's text, a token model) as
/// one shared <see cref="string"/> per distinct value, so 100,000 documents saying the same words allocate them
/// once (docs/benchmarks.md, "Fleet report"). Bounded: long strings and any string after
/// <see cref="MaxEntries"/> distinct ones are read as usual, so hostile input cannot grow the table without end.
/// Thread-safe: every reading thread shares the table.
/// </summary>
internal sealed class SharedStringConverter : JsonConverter<string>
{
    public const int MaxLength = 512;
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private int _entries;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, got {reader.TokenType}");
        }

        var encoded = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (encoded > MaxLength)
        {
            return reader.GetString();
        }

        // UTF-8 never takes fewer bytes than UTF-16 code units, and unescaping only shortens.
        Span<char> text = stackalloc char[MaxLength];
        text = text[..reader.CopyString(text)];
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var shared))
        {
            return shared;
        }

        var value = text.ToString();
        if (Volatile.Read(ref _entries) < MaxEntries && _strings.TryAdd(value, value))
        {
            Interlocked.Increment(ref _entries);
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
