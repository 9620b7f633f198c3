using System.Collections.Immutable;

namespace TokenService.SmartCards;

/// <summary>
/// pcsc-tools' smartcard_list.txt, parsed: each entry is a line with an ATR pattern (<see cref="AtrExpression"/>)
/// followed by tab-indented description lines; `#` lines are comments and an empty line ends an entry. The names
/// of an ATR are the descriptions of every entry that matches, in the file's order (one ATR can name several
/// products built on one chip). Description lines that are only a web address are not names.
/// </summary>
internal sealed class SmartcardList
{
    private readonly ImmutableArray<(AtrExpression Pattern, ImmutableArray<string> Names)> _entries;

    private SmartcardList(ImmutableArray<(AtrExpression, ImmutableArray<string>)> entries, int skipped)
    {
        _entries = entries;
        Skipped = skipped;
    }

    public int Count => _entries.Length;

    /// <summary>Entries whose pattern is not a valid regular expression.</summary>
    public int Skipped { get; }

    public static SmartcardList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = ImmutableArray.CreateBuilder<(AtrExpression, ImmutableArray<string>)>();
        var skipped = 0;
        AtrExpression? pattern = null;
        var names = ImmutableArray.CreateBuilder<string>();

        void Flush()
        {
            if (pattern is not null && names.Count > 0)
            {
                entries.Add((pattern, names.ToImmutable()));
            }

            pattern = null;
            names.Clear();
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('\t'))
            {
                var text = line.Trim();
                if (pattern is not null && text.Length > 0 && !IsAddress(text))
                {
                    names.Add(text);
                }

                continue;
            }

            Flush();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            pattern = AtrExpression.TryCreate(line);
            if (pattern is null)
            {
                skipped++;
            }
        }

        Flush();
        return new SmartcardList(entries.ToImmutable(), skipped);
    }

    public ImmutableArray<string> Names(ImmutableArray<byte> atr)
    {
        var spaced = Atr.Spaced(atr);
        return [.. _entries.Where(e => e.Pattern.Matches(spaced)).SelectMany(e => e.Names).Distinct(StringComparer.Ordinal)];
    }

    private static bool IsAddress(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
