using TokenService.Certificates;
using System.Collections.Frozen;
using System.Formats.Asn1;
using System.Text;

namespace TokenService.Certificates;

/// <summary>
/// Formats a DER X.501 Name (RFC 5280 §4.1.2.4) as an RFC 4514 string: the server probe's certificate_authorities
/// and a certificate's issuer are both printed by it, so that <see cref="DistinguishedNames"/> can compare them.
/// </summary>
internal static class DistinguishedNameFormatter
{
    /// <summary>RFC 4514 §3: the only short names a conforming string uses; every other type is a dotted OID.</summary>
    internal static readonly FrozenDictionary<string, string> ShortNames = new Dictionary<string, string>
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "STREET",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    }.ToFrozenDictionary();

    /// <summary>
    /// String types with a UTF-8 LDAP form (RFC 4517 §3.3.6 DirectoryString and friends). TeletexString is left
    /// out on purpose: its character set is ambiguous, so it is printed as exact hex.
    /// </summary>
    private static readonly FrozenSet<UniversalTagNumber> TextTags = new[]
    {
        UniversalTagNumber.UTF8String, UniversalTagNumber.PrintableString, UniversalTagNumber.IA5String,
        UniversalTagNumber.BMPString, UniversalTagNumber.NumericString, UniversalTagNumber.VisibleString,
    }.ToFrozenSet();

    /// <summary>
    /// RFC 4514 §2: RDNs last-to-first joined by `,`, the attributes of a multi-valued RDN joined by `+` in encoded
    /// order, values escaped per §2.4 or written as `#` and the hex of their BER encoding.
    /// </summary>
    /// <returns>The string, or `#` and the hex of the whole input when it is not a well-formed Name.</returns>
    public static string Format(ReadOnlyMemory<byte> der)
    {
        try
        {
            return FormatName(der);
        }
        catch (AsnContentException)
        {
            // Not a Name: still show the server's bytes rather than drop the entry.
            return "#" + Convert.ToHexString(der.Span);
        }
    }

    private static string FormatName(ReadOnlyMemory<byte> der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();

        var rdns = new List<string>();
        while (sequence.HasData)
        {
            var set = sequence.ReadSetOf(skipSortOrderValidation: true);
            var attributes = new List<string>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var value = attribute.ReadEncodedValue();
                attribute.ThrowIfNotEmpty();
                attributes.Add(FormatAttribute(type, value));
            }

            rdns.Add(string.Join('+', attributes));
        }

        rdns.Reverse();
        return string.Join(',', rdns);
    }

    private static string FormatAttribute(string type, ReadOnlyMemory<byte> encodedValue)
    {
        // §2.3 and §2.4: a dotted-decimal type, or a value with no string form, is written as #hex of its BER.
        if (ShortNames.TryGetValue(type, out var shortName) && TryReadText(encodedValue, out var text))
        {
            return shortName + "=" + Escape(text);
        }

        return (shortName ?? type) + "=#" + Convert.ToHexString(encodedValue.Span);
    }

    private static bool TryReadText(ReadOnlyMemory<byte> encodedValue, out string text)
    {
        text = "";
        var reader = new AsnReader(encodedValue, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.Universal || !TextTags.Contains((UniversalTagNumber)tag.TagValue))
        {
            return false;
        }

        try
        {
            text = reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>RFC 4514 §2.4, plus control characters as hex pairs so that the string stays printable.</summary>
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var edge = i == 0 || i == value.Length - 1;
            switch (c)
            {
                case '"' or '+' or ',' or ';' or '<' or '>' or '\\':
                case '#' when i == 0:
                case ' ' when edge:
                    builder.Append('\\').Append(c);
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        // Control characters are all single UTF-8 bytes below 0x80 or two bytes (U+0080..U+009F).
                        foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                        {
                            builder.Append('\\').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
