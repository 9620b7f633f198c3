using System.Collections.Immutable;
using System.Globalization;

namespace TokenService.Locating;

/// <summary>
/// Which ATRs (ISO/IEC 7816-3 §8, the card's Answer-To-Reset) a bench binding accepts. Written as hex bytes,
/// optionally separated by blanks or colons: `3B 8F 80 01 ...` matches that ATR exactly; `/ FF FF 00 ...`
/// after the bytes gives a mask (only bits set in the mask are compared, as pcsc-tools' smartcard_list and
/// Windows' ATRMask do); a final `*` lets the ATR go on after the bytes given (a prefix).
/// </summary>
internal sealed class AtrPattern
{
    private AtrPattern(ImmutableArray<byte> value, ImmutableArray<byte> mask, bool isPrefix, string text)
    {
        Value = value;
        Mask = mask;
        IsPrefix = isPrefix;
        Text = text;
    }

    public ImmutableArray<byte> Value { get; }

    /// <summary>One mask byte per value byte; all FF when none was given.</summary>
    public ImmutableArray<byte> Mask { get; }

    public bool IsPrefix { get; }

    /// <summary>The pattern as it was written.</summary>
    public string Text { get; }

    public bool Matches(ImmutableArray<byte> atr)
    {
        if (atr.IsDefault || atr.Length < Value.Length || (!IsPrefix && atr.Length != Value.Length))
        {
            return false;
        }

        for (var i = 0; i < Value.Length; i++)
        {
            if ((atr[i] & Mask[i]) != (Value[i] & Mask[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a pattern; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string text, out AtrPattern? pattern, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        pattern = null;
        var body = text.Trim();
        var isPrefix = body.EndsWith('*');
        if (isPrefix)
        {
            body = body[..^1];
        }

        var parts = body.Split('/');
        if (parts.Length > 2)
        {
            error = $"'{text}': more than one '/' (expected HEX, HEX/MASK, optionally ending in '*')";
            return false;
        }

        if (!TryParseHex(parts[0], out var value, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        if (value.IsEmpty)
        {
            error = $"'{text}': no ATR bytes";
            return false;
        }

        var mask = Enumerable.Repeat((byte)0xFF, value.Length).ToImmutableArray();
        if (parts.Length == 2)
        {
            if (!TryParseHex(parts[1], out mask, out error))
            {
                error = $"'{text}': mask: {error}";
                return false;
            }

            if (mask.Length != value.Length)
            {
                error = $"'{text}': the mask has {mask.Length} bytes, the ATR {value.Length}";
                return false;
            }
        }

        pattern = new AtrPattern(value, mask, isPrefix, text);
        error = null;
        return true;
    }

    private static bool TryParseHex(string text, out ImmutableArray<byte> bytes, out string? error)
    {
        var digits = new string([.. text.Where(c => c is not (' ' or ':' or '\t'))]);
        bytes = [];
        if (digits.Length % 2 != 0)
        {
            error = $"odd number of hex digits ({digits.Length})";
            return false;
        }

        var result = ImmutableArray.CreateBuilder<byte>(digits.Length / 2);
        for (var i = 0; i < digits.Length; i += 2)
        {
            if (!byte.TryParse(digits.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                error = $"'{digits.Substring(i, 2)}' is not a hex byte";
                return false;
            }

            result.Add(b);
        }

        bytes = result.MoveToImmutable();
        error = null;
        return true;
    }
}
