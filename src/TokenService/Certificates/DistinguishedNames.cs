using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace TokenService.Certificates;

/// <summary>
/// Compares X.501 names written as RFC 4514 strings the way RFC 5280 §7.1 compares certificate names: RDN by RDN in
/// order, attribute types by OID, the attributes of a multi-valued RDN in any order, and string values after the
/// LDAP string preparation of RFC 4518 (§2.2 NFKC and case folding, §2.6.1 insignificant spaces). So a name sent as
/// PrintableString matches the same name in a UTF8String, and `\,` matches `\2C`.
/// </summary>
internal static class DistinguishedNames
{
    private static readonly FrozenDictionary<string, string> OidByShortName =
        DistinguishedNameFormatter.ShortNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when both strings name the same entity. A string that is not valid RFC 4514 matches only itself
    /// (ordinal), so a malformed name never matches a different one by accident.
    /// </summary>
    public static bool Same(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Canonical(a) is { } ca && Canonical(b) is { } cb ? ca == cb : string.Equals(a, b, StringComparison.Ordinal);
    }

    /// <summary>
    /// One string per name: types as dotted OIDs where a short name is known, values prepared (RFC 4518) and
    /// re-escaped, the attributes of each RDN sorted; null when <paramref name="rfc4514"/> does not parse.
    /// </summary>
    public static string? Canonical(string rfc4514)
    {
        ArgumentNullException.ThrowIfNull(rfc4514);
        var rdns = new List<string>();
        var attributes = new List<string>();
        var i = 0;
        var text = rfc4514.Trim();
        if (text.Length == 0)
        {
            return "";
        }

        while (true)
        {
            if (ReadAttribute(text, ref i) is not { } attribute)
            {
                return null;
            }

            attributes.Add(attribute);
            if (i == text.Length || text[i] is ',' or ';')
            {
                attributes.Sort(StringComparer.Ordinal);
                rdns.Add(string.Join('+', attributes));
                attributes.Clear();
                if (i == text.Length)
                {
                    return string.Join(',', rdns);
                }
            }

            i++; // past ',' ';' or '+'
        }
    }

    /// <summary>RFC 4514 §3 attributeTypeAndValue, from <paramref name="i"/> up to the next unescaped separator.</summary>
    private static string? ReadAttribute(string text, ref int i)
    {
        var equals = text.IndexOf('=', i);
        if (equals < 0)
        {
            return null;
        }

        var type = text[i..equals].Trim();
        if (type.StartsWith("OID.", StringComparison.OrdinalIgnoreCase))
        {
            type = type[4..];
        }

        // §3: a descr (letter, then letters, digits, hyphens) or a numericoid.
        if (type.Length == 0 || !type.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            return null;
        }

        type = OidByShortName.TryGetValue(type, out var oid) ? oid : type.ToUpperInvariant();
        i = equals + 1;
        SkipSpaces(text, ref i);

        var value = i < text.Length && text[i] == '#' ? ReadHexValue(text, ref i) : ReadStringValue(text, ref i);
        return value is null ? null : type + "=" + value;
    }

    /// <summary>§2.4 `#` and the hex of the BER value: compared as bytes, so only the case of the digits is folded.</summary>
    private static string? ReadHexValue(string text, ref int i)
    {
        var start = ++i;
        while (i < text.Length && Uri.IsHexDigit(text[i]))
        {
            i++;
        }

        var hex = text[start..i];
        SkipSpaces(text, ref i);
        return hex.Length == 0 || hex.Length % 2 != 0 || !AtSeparator(text, i) ? null : "#" + hex.ToUpperInvariant();
    }

    /// <summary>§3 string with §2.4 escapes (`\` and a special character, or `\` and two hex digits of UTF-8).</summary>
    private static string? ReadStringValue(string text, ref int i)
    {
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        while (i < text.Length && text[i] is not (',' or ';' or '+'))
        {
            var c = text[i];
            if (c != '\\')
            {
                var rune = Rune.GetRuneAt(text, i);
                var n = rune.EncodeToUtf8(utf8);
                bytes.AddRange(utf8[..n]);
                i += rune.Utf16SequenceLength;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                return null;
            }

            if (i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.Add((byte)text[i + 1]);
                i += 2;
            }
        }

        string value;
        try
        {
            value = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return Escape(Prepare(value));
    }

    /// <summary>RFC 4518 §2.2 (NFKC, case folded) and §2.6.1 (no leading or trailing space, inner runs as one).</summary>
    private static string Prepare(string value)
    {
        var folded = value.Normalize(NormalizationForm.FormKC).ToUpperInvariant().ToLowerInvariant();
        return string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Keeps the canonical form unambiguous: the separators inside a value stay escaped.</summary>
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '+' or '=' or ';')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
    }

    private static bool AtSeparator(string text, int i) => i == text.Length || text[i] is ',' or ';' or '+';
}
