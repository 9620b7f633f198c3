using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace TokenService.Tls;

/// <summary>
/// Names for TLS SignatureScheme code points (RFC 8446 §4.2.3 and the IANA "TLS SignatureScheme" registry).
/// A TLS 1.2 SignatureAndHashAlgorithm pair (RFC 5246 §7.4.1.4.1) is the same two octets, hash first, so a
/// pair prints as the SignatureScheme that shares its code point: (sha256, rsa) = 0x0401 = rsa_pkcs1_sha256,
/// and (sha256, ecdsa) = 0x0403 = ecdsa_secp256r1_sha256 even though TLS 1.2 does not bind the curve.
/// </summary>
internal static class SignatureSchemeNames
{
    private static readonly FrozenDictionary<ushort, string> Names = new Dictionary<ushort, string>
    {
        // RFC 8446 §4.2.3: RSASSA-PKCS1-v1_5 (TLS 1.3 allows it only in certificates, not in CertificateVerify).
        [0x0401] = "rsa_pkcs1_sha256",
        [0x0501] = "rsa_pkcs1_sha384",
        [0x0601] = "rsa_pkcs1_sha512",
        // RFC 8446 §4.2.3: ECDSA, curve bound to the hash in TLS 1.3.
        [0x0403] = "ecdsa_secp256r1_sha256",
        [0x0503] = "ecdsa_secp384r1_sha384",
        [0x0603] = "ecdsa_secp521r1_sha512",
        // RFC 8446 §4.2.3: RSASSA-PSS with an rsaEncryption key.
        [0x0804] = "rsa_pss_rsae_sha256",
        [0x0805] = "rsa_pss_rsae_sha384",
        [0x0806] = "rsa_pss_rsae_sha512",
        // RFC 8446 §4.2.3: EdDSA (also TLS 1.2 pairs (intrinsic, ed25519/ed448), RFC 8422 §5.1.3).
        [0x0807] = "ed25519",
        [0x0808] = "ed448",
        // RFC 8446 §4.2.3: RSASSA-PSS with an id-RSASSA-PSS key.
        [0x0809] = "rsa_pss_pss_sha256",
        [0x080A] = "rsa_pss_pss_sha384",
        [0x080B] = "rsa_pss_pss_sha512",
        // RFC 8446 §4.2.3 legacy algorithms (SHA-1 deprecated by RFC 9155).
        [0x0201] = "rsa_pkcs1_sha1",
        [0x0203] = "ecdsa_sha1",
        // RFC 8446 §4.2.3 reserved code points: the TLS 1.2 DSA pairs.
        [0x0202] = "dsa_sha1_RESERVED",
        [0x0402] = "dsa_sha256_RESERVED",
        [0x0502] = "dsa_sha384_RESERVED",
        [0x0602] = "dsa_sha512_RESERVED",
        // TLS 1.2 pairs with SHA-224 (RFC 5246 §7.4.1.4.1). The IANA registry has no name for them (RFC 8446
        // leaves 0x0204-0x0400 "obsolete_RESERVED"); these are the names OpenSSL prints, and OpenSSL 3.0 servers
        // send them in CertificateRequest by default.
        [0x0301] = "rsa_pkcs1_sha224",
        [0x0302] = "dsa_sha224",
        [0x0303] = "ecdsa_sha224",
        // RFC 9963: PKCS#1 v1.5 in a TLS 1.3 CertificateVerify, only when the peer lists it.
        [0x0420] = "rsa_pkcs1_sha256_legacy",
        [0x0520] = "rsa_pkcs1_sha384_legacy",
        [0x0620] = "rsa_pkcs1_sha512_legacy",
        // IANA registry entries for identity-based signatures (not recommended).
        [0x0704] = "eccsi_sha256",
        [0x0705] = "iso_ibs1",
        [0x0706] = "iso_ibs2",
        [0x0707] = "iso_chinese_ibs",
        // RFC 8998: ShangMi.
        [0x0708] = "sm2sig_sm3",
        // RFC 9367: GOST R 34.10-2012 in TLS 1.3.
        [0x0709] = "gostr34102012_256a",
        [0x070A] = "gostr34102012_256b",
        [0x070B] = "gostr34102012_256c",
        [0x070C] = "gostr34102012_256d",
        [0x070D] = "gostr34102012_512a",
        [0x070E] = "gostr34102012_512b",
        [0x070F] = "gostr34102012_512c",
        // RFC 8734: ECDSA on brainpool curves, TLS 1.3 only.
        [0x081A] = "ecdsa_brainpoolP256r1tls13_sha256",
        [0x081B] = "ecdsa_brainpoolP384r1tls13_sha384",
        [0x081C] = "ecdsa_brainpoolP512r1tls13_sha512",
        // draft-ietf-tls-mldsa (code points registered by IANA): ML-DSA, FIPS 204.
        [0x0904] = "mldsa44",
        [0x0905] = "mldsa65",
        [0x0906] = "mldsa87",
    }.ToFrozenDictionary();

    /// <summary>Other spellings in use for the same code points (OpenSSL prints the DSA pairs without _RESERVED).</summary>
    private static readonly FrozenDictionary<string, ushort> Aliases = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
    {
        ["dsa_sha1"] = 0x0202,
        ["dsa_sha256"] = 0x0402,
        ["dsa_sha384"] = 0x0502,
        ["dsa_sha512"] = 0x0602,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ushort> ByName =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every code point the table names.</summary>
    public static IReadOnlyCollection<ushort> KnownCodes => Names.Keys;

    /// <summary>The name, or `0xNNNN` (four upper-case hex digits) for a code point the table does not name.</summary>
    public static string NameOf(ushort code) =>
        Names.TryGetValue(code, out var name) ? name : FormatHex(code);

    /// <summary>
    /// Parses a name (case-insensitive, e.g. `rsa_pss_rsae_sha256`), an alias (`dsa_sha256`) or the `0xNNNN`
    /// form that <see cref="NameOf"/> prints for unnamed code points.
    /// </summary>
    public static bool TryParse(string name, out ushort code)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var digits = text.AsSpan(2);
            if (digits.Length is >= 1 and <= 4
                && ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
            {
                return true;
            }

            code = 0;
            return false;
        }

        return ByName.TryGetValue(text, out code) || Aliases.TryGetValue(text, out code);
    }

    /// <summary>
    /// Parses a list of names or `0xNNNN` code points separated by commas, colons or spaces (what
    /// `check --server-schemes` and the probe host's `serverSchemes` take), in the order given.
    /// </summary>
    /// <exception cref="FormatException">An item is no known scheme, or the list is empty.</exception>
    public static ImmutableArray<ushort> ParseList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var codes = ImmutableArray.CreateBuilder<ushort>();
        foreach (var item in list.Split([',', ':', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            codes.Add(TryParse(item, out var code)
                ? code
                : throw new FormatException($"unknown signature scheme '{item}' (use IANA names such as rsa_pss_rsae_sha256, or 0x0804)"));
        }

        return codes.Count > 0 ? codes.ToImmutable() : throw new FormatException("the list is empty");
    }

    private static string FormatHex(ushort code) => "0x" + code.ToString("X4", CultureInfo.InvariantCulture);
}
