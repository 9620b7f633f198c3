namespace TokenService.VirtualCards;

/// <summary>BER-TLV as the card edges use it (ISO/IEC 7816-4 §5.2; SP 800-73-4 Part 1 §3.3): one- or two-byte tags, definite lengths.</summary>
internal static class Tlv
{
    public static byte[] Encode(int tag, ReadOnlySpan<byte> value)
    {
        var output = new List<byte>(value.Length + 6);
        if (tag > 0xFFFF)
        {
            output.Add((byte)(tag >> 16));
        }

        if (tag > 0xFF)
        {
            output.Add((byte)(tag >> 8));
        }

        output.Add((byte)tag);
        switch (value.Length)
        {
            case < 0x80:
                output.Add((byte)value.Length);
                break;
            case <= 0xFF:
                output.Add(0x81);
                output.Add((byte)value.Length);
                break;
            default:
                output.Add(0x82);
                output.Add((byte)(value.Length >> 8));
                output.Add((byte)value.Length);
                break;
        }

        output.AddRange(value);
        return [.. output];
    }

    /// <summary>
    /// The children of a constructed value, in order (tag, value). Returns null on malformed input. Tags follow the
    /// BER rule: a first byte with the low five bits set is followed by more tag bytes while b8 is set.
    /// </summary>
    public static List<(int Tag, byte[] Value)>? Decode(ReadOnlySpan<byte> data)
    {
        var items = new List<(int, byte[])>();
        var i = 0;
        while (i < data.Length)
        {
            int tag = data[i++];
            if ((tag & 0x1F) == 0x1F)
            {
                do
                {
                    if (i >= data.Length)
                    {
                        return null;
                    }

                    tag = (tag << 8) | data[i];
                }
                while ((data[i++] & 0x80) != 0);
            }

            if (i >= data.Length)
            {
                return null;
            }

            int length = data[i++];
            if (length > 0x80)
            {
                var count = length & 0x7F;
                if (count > 3 || i + count > data.Length)
                {
                    return null;
                }

                length = 0;
                for (var k = 0; k < count; k++)
                {
                    length = (length << 8) | data[i++];
                }
            }
            else if (length == 0x80)
            {
                return null;
            }

            if (i + length > data.Length)
            {
                return null;
            }

            items.Add((tag, data.Slice(i, length).ToArray()));
            i += length;
        }

        return items;
    }
}
