using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace TokenService.SmartCards;

/// <summary>
/// An Answer-To-Reset (ISO/IEC 7816-3 §8): TS, T0, then at most 31 more bytes (interface bytes, up to 15
/// historical bytes, TCK), so 2 to 33 bytes in all.
/// </summary>
internal static class Atr
{
    public const int MinLength = 2;
    public const int MaxLength = 33;

    /// <summary>Hex bytes, blanks or colons allowed between them; null with <paramref name="error"/> otherwise.</summary>
    public static ImmutableArray<byte>? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hex = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            if (c is ' ' or ':' or '\t')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                error = $"not hex: '{c}' in '{text}'";
                return null;
            }

            hex.Append(c);
        }

        if (hex.Length % 2 != 0)
        {
            error = $"odd number of hex digits in '{text}'";
            return null;
        }

        var length = hex.Length / 2;
        if (length is < MinLength or > MaxLength)
        {
            error = $"an ATR has {MinLength} to {MaxLength} bytes (ISO/IEC 7816-3), '{text}' has {length}";
            return null;
        }

        error = null;
        return [.. Convert.FromHexString(hex.ToString())];
    }

    /// <summary>`3B FD 13 ...`: the form pcsc-tools writes and matches its patterns against.</summary>
    public static string Spaced(ImmutableArray<byte> atr) =>
        string.Join(' ', atr.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>`3BFD13...`: the form of the contracts.</summary>
    public static string Compact(ImmutableArray<byte> atr) => Convert.ToHexString(atr.AsSpan());
}
