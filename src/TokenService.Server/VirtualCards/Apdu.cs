namespace TokenService.VirtualCards;

/// <summary>
/// A command APDU (ISO/IEC 7816-4 §5.1): header, command data and the expected response length. Short and extended
/// encodings are both read; OpenSC's PIV and JPKI drivers send short APDUs only.
/// </summary>
internal sealed record CommandApdu(byte Cla, byte Ins, byte P1, byte P2, byte[] Data, int? Le)
{
    /// <summary>Command chaining (ISO/IEC 7816-4 §5.1.1.1): b5 of the class byte says more parts follow.</summary>
    public bool ChainsMore => (Cla & 0x10) != 0;

    /// <summary>Reads <paramref name="bytes"/>; null when it is no well-formed APDU.</summary>
    public static CommandApdu? Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            return null;
        }

        var (cla, ins, p1, p2) = (bytes[0], bytes[1], bytes[2], bytes[3]);
        var body = bytes[4..];
        switch (body.Length)
        {
            case 0: // case 1
                return new CommandApdu(cla, ins, p1, p2, [], null);
            case 1: // case 2 short
                return new CommandApdu(cla, ins, p1, p2, [], body[0] == 0 ? 256 : body[0]);
        }

        if (body[0] != 0)
        {
            var lc = body[0];
            if (body.Length == 1 + lc) // case 3 short
            {
                return new CommandApdu(cla, ins, p1, p2, body[1..].ToArray(), null);
            }

            if (body.Length == 2 + lc) // case 4 short
            {
                return new CommandApdu(cla, ins, p1, p2, body[1..(1 + lc)].ToArray(), body[1 + lc] == 0 ? 256 : body[1 + lc]);
            }

            return null;
        }

        // Extended length: 00 then two bytes.
        if (body.Length == 3)
        {
            var le = (body[1] << 8) | body[2];
            return new CommandApdu(cla, ins, p1, p2, [], le == 0 ? 65536 : le);
        }

        var extendedLc = (body[1] << 8) | body[2];
        if (body.Length == 3 + extendedLc)
        {
            return new CommandApdu(cla, ins, p1, p2, body[3..].ToArray(), null);
        }

        if (body.Length == 5 + extendedLc)
        {
            var le = (body[3 + extendedLc] << 8) | body[4 + extendedLc];
            return new CommandApdu(cla, ins, p1, p2, body[3..(3 + extendedLc)].ToArray(), le == 0 ? 65536 : le);
        }

        return null;
    }
}

/// <summary>A response APDU: data and the status word (ISO/IEC 7816-4 §5.6).</summary>
internal readonly record struct ResponseApdu(byte[] Data, ushort Status)
{
    public static ResponseApdu Ok(byte[] data) => new(data, StatusWords.Success);

    public static ResponseApdu Error(ushort status) => new([], status);

    public byte[] ToBytes()
    {
        var bytes = new byte[Data.Length + 2];
        Data.CopyTo(bytes, 0);
        bytes[^2] = (byte)(Status >> 8);
        bytes[^1] = (byte)Status;
        return bytes;
    }
}

/// <summary>The status words the virtual cards answer (ISO/IEC 7816-4 §5.6, NIST SP 800-73-4 Part 2 §3).</summary>
internal static class StatusWords
{
    public const ushort Success = 0x9000;
    public const ushort WrongLength = 0x6700;
    public const ushort SecurityStatusNotSatisfied = 0x6982;
    public const ushort AuthenticationMethodBlocked = 0x6983;
    public const ushort ConditionsNotSatisfied = 0x6985;
    public const ushort IncorrectData = 0x6A80;
    public const ushort FileNotFound = 0x6A82;
    public const ushort ReferenceNotFound = 0x6A88;
    public const ushort IncorrectP1P2 = 0x6A86;
    public const ushort InstructionNotSupported = 0x6D00;
    public const ushort ClassNotSupported = 0x6E00;

    /// <summary>63Cx: verification failed, x tries left (ISO/IEC 7816-4 §5.6, SP 800-73-4 Part 2 §3.2.1).</summary>
    public static ushort TriesLeft(int tries) => (ushort)(0x63C0 | Math.Clamp(tries, 0, 15));
}
