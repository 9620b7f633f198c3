using System.Globalization;
using System.Text.RegularExpressions;
using TokenService.Drivers.Snapshots;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>Reads what OpenSC 0.23's pkcs11-tool prints for -M and -O, as reference values.</summary>
internal static partial class Pkcs11ToolOutput
{
    /// <summary>A mechanism line of `pkcs11-tool -M`, with the flags put back together from its words.</summary>
    public sealed record Mechanism(ulong Type, ulong MinKeySize, ulong MaxKeySize, ulong Flags);

    /// <summary>An object block of `pkcs11-tool -O`: "Private Key Object; RSA", then its label and ID lines.</summary>
    public sealed record ObjectEntry(string Class, string Type, string? Label, string? IdHex);

    // pkcs11-tool's words for CK_MECHANISM_INFO.flags (v2.40 base §3.5; CKF_EC_* from the mechanisms spec §2.3).
    private static readonly Dictionary<string, ulong> FlagWords = new()
    {
        ["hw"] = 0x1, ["encrypt"] = 0x100, ["decrypt"] = 0x200, ["digest"] = 0x400, ["sign"] = 0x800,
        ["sign_recover"] = 0x1000, ["verify"] = 0x2000, ["verify_recover"] = 0x4000, ["generate"] = 0x8000,
        ["generate_key_pair"] = 0x10000, ["wrap"] = 0x20000, ["unwrap"] = 0x40000, ["derive"] = 0x80000,
        ["EC F_P"] = 0x100000, ["EC F_2M"] = 0x200000, ["EC parameters"] = 0x400000, ["EC OID"] = 0x800000,
        ["EC uncompressed"] = 0x1000000, ["EC compressed"] = 0x2000000,
    };

    // Names pkcs11-tool prints that are older aliases of the names in our table.
    private static readonly Dictionary<string, ulong> Aliases = new()
    {
        ["ECDSA-KEY-PAIR-GEN"] = Mechanisms.EcKeyPairGen,

        // Mechanisms OpenSC lists for its cards that TLS never uses, so our table does not name them
        // (values from PKCS#11 v2.40 Current Mechanisms §2, pkcs11t.h).
        ["MD5-RSA-PKCS"] = 0x0005, ["RIPEMD160-RSA-PKCS"] = 0x0008, ["RSA-PKCS-OAEP"] = 0x0009,
        ["RIPEMD160"] = 0x0240, ["GOSTR3411"] = 0x1210, ["ECDH1-DERIVE"] = 0x1050, ["ECDH1-COFACTOR-DERIVE"] = 0x1051,
    };

    public static IReadOnlyList<Mechanism> ParseMechanisms(string output)
    {
        var result = new List<Mechanism>();
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            var parts = line.Trim().Split(", ");
            var type = TypeOf(parts[0]);
            ulong min = 0, max = 0, flags = 0;
            foreach (var part in parts.Skip(1))
            {
                if (KeySize().Match(part) is { Success: true } size)
                {
                    min = ulong.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture);
                    max = ulong.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture);
                }
                else if (part.StartsWith("other flags=0x", StringComparison.Ordinal))
                {
                    flags |= ulong.Parse(part["other flags=0x".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
                else
                {
                    flags |= FlagWords.TryGetValue(part, out var bit)
                        ? bit
                        : throw new FormatException($"pkcs11-tool printed a flag this parser does not know: '{part}' in '{line}'");
                }
            }

            result.Add(new Mechanism(type, min, max, flags));
        }

        return result;
    }

    public static IReadOnlyList<ObjectEntry> ParseObjects(string output)
    {
        var result = new List<ObjectEntry>();
        string? objectClass = null, type = null, label = null, id = null;
        void Flush()
        {
            if (objectClass is not null)
            {
                result.Add(new ObjectEntry(objectClass, type ?? "", label, id));
            }
        }

        foreach (var line in output.Split('\n'))
        {
            if (ObjectHeader().Match(line) is { Success: true } header)
            {
                Flush();
                (objectClass, type, label, id) = (header.Groups[1].Value, header.Groups[2].Value.Trim(), null, null);
            }
            else if (Field().Match(line) is { Success: true } field)
            {
                switch (field.Groups[1].Value)
                {
                    case "label":
                        label = field.Groups[2].Value;
                        break;
                    case "ID":
                        id = field.Groups[2].Value.ToUpperInvariant();
                        break;
                }
            }
        }

        Flush();
        return result;
    }

    private static ulong TypeOf(string name)
    {
        if (name.StartsWith("mechtype-0x", StringComparison.Ordinal))
        {
            return ulong.Parse(name["mechtype-0x".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return Aliases.TryGetValue(name, out var alias) || Mechanisms.TryParse(name.Replace('-', '_'), out alias)
            ? alias
            : throw new FormatException($"pkcs11-tool printed a mechanism our name table does not know: {name}");
    }

    [GeneratedRegex(@"^keySize=\{(\d+),(\d+)\}$")]
    private static partial Regex KeySize();

    // "Private Key Object; RSA", "Public Key Object; EC  EC_POINT 256 bits", "Certificate Object; type = X.509 cert"
    [GeneratedRegex(@"^(Private Key|Public Key|Certificate|Secret Key|Data) Object; (?:type = )?(\S*)")]
    private static partial Regex ObjectHeader();

    [GeneratedRegex(@"^  (label|ID):\s+(.*)$")]
    private static partial Regex Field();
}
