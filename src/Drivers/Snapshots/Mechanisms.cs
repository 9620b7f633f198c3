using System.Collections.Frozen;
using System.Globalization;

namespace TokenService.Drivers.Snapshots;

/// <summary>
/// CKM_ values (PKCS#11 v3.0 §6) with our own name table: Pkcs11Interop's enum has aliases that print
/// differently under NativeAOT (seen in the NativeAOT build), so names come from here only.
/// </summary>
public static class Mechanisms
{
    public const ulong RsaPkcsKeyPairGen = 0x0000;
    public const ulong RsaPkcs = 0x0001;
    public const ulong RsaX509 = 0x0003;
    public const ulong Sha1RsaPkcs = 0x0006;
    public const ulong RsaPkcsOaep = 0x0009;
    public const ulong RsaPkcsPss = 0x000D;
    public const ulong Sha1RsaPkcsPss = 0x000E;
    public const ulong Sha256RsaPkcs = 0x0040;
    public const ulong Sha384RsaPkcs = 0x0041;
    public const ulong Sha512RsaPkcs = 0x0042;
    public const ulong Sha256RsaPkcsPss = 0x0043;
    public const ulong Sha384RsaPkcsPss = 0x0044;
    public const ulong Sha512RsaPkcsPss = 0x0045;
    public const ulong Sha224RsaPkcs = 0x0046;
    public const ulong Sha224RsaPkcsPss = 0x0047;
    public const ulong Sha1 = 0x0220;
    public const ulong Sha256 = 0x0250;
    public const ulong Sha384 = 0x0260;
    public const ulong Sha512 = 0x0270;
    public const ulong EcKeyPairGen = 0x1040;
    public const ulong Ecdsa = 0x1041;
    public const ulong EcdsaSha1 = 0x1042;
    public const ulong EcdsaSha224 = 0x1043;
    public const ulong EcdsaSha256 = 0x1044;
    public const ulong EcdsaSha384 = 0x1045;
    public const ulong EcdsaSha512 = 0x1046;
    public const ulong EcEdwardsKeyPairGen = 0x1055;
    public const ulong Eddsa = 0x1057;

    /// <summary>CKG_MGF1_* values for CK_RSA_PKCS_PSS_PARAMS.mgf.</summary>
    public const ulong MgfSha1 = 0x1, MgfSha256 = 0x2, MgfSha384 = 0x3, MgfSha512 = 0x4, MgfSha224 = 0x5;

    private static readonly FrozenDictionary<ulong, string> Names = new Dictionary<ulong, string>
    {
        [RsaPkcsKeyPairGen] = "CKM_RSA_PKCS_KEY_PAIR_GEN",
        [RsaPkcs] = "CKM_RSA_PKCS",
        [0x0002] = "CKM_RSA_9796",
        [RsaX509] = "CKM_RSA_X_509",
        [0x0004] = "CKM_MD2_RSA_PKCS",
        [0x0005] = "CKM_MD5_RSA_PKCS",
        [Sha1RsaPkcs] = "CKM_SHA1_RSA_PKCS",
        [RsaPkcsOaep] = "CKM_RSA_PKCS_OAEP",
        [RsaPkcsPss] = "CKM_RSA_PKCS_PSS",
        [Sha1RsaPkcsPss] = "CKM_SHA1_RSA_PKCS_PSS",
        [0x0010] = "CKM_DSA_KEY_PAIR_GEN",
        [0x0011] = "CKM_DSA",
        [0x0012] = "CKM_DSA_SHA1",
        [0x0013] = "CKM_DSA_SHA224",
        [0x0014] = "CKM_DSA_SHA256",
        [0x0015] = "CKM_DSA_SHA384",
        [0x0016] = "CKM_DSA_SHA512",
        [Sha256RsaPkcs] = "CKM_SHA256_RSA_PKCS",
        [Sha384RsaPkcs] = "CKM_SHA384_RSA_PKCS",
        [Sha512RsaPkcs] = "CKM_SHA512_RSA_PKCS",
        [Sha256RsaPkcsPss] = "CKM_SHA256_RSA_PKCS_PSS",
        [Sha384RsaPkcsPss] = "CKM_SHA384_RSA_PKCS_PSS",
        [Sha512RsaPkcsPss] = "CKM_SHA512_RSA_PKCS_PSS",
        [Sha224RsaPkcs] = "CKM_SHA224_RSA_PKCS",
        [Sha224RsaPkcsPss] = "CKM_SHA224_RSA_PKCS_PSS",
        [0x0200] = "CKM_MD2",
        [0x0210] = "CKM_MD5",
        [0x0211] = "CKM_MD5_HMAC",
        [Sha1] = "CKM_SHA_1",
        [0x0221] = "CKM_SHA_1_HMAC",
        [0x0255] = "CKM_SHA224",
        [0x0256] = "CKM_SHA224_HMAC",
        [Sha256] = "CKM_SHA256",
        [0x0251] = "CKM_SHA256_HMAC",
        [Sha384] = "CKM_SHA384",
        [0x0261] = "CKM_SHA384_HMAC",
        [Sha512] = "CKM_SHA512",
        [0x0271] = "CKM_SHA512_HMAC",
        [0x0350] = "CKM_GENERIC_SECRET_KEY_GEN",
        [0x0120] = "CKM_DES_KEY_GEN",
        [0x0131] = "CKM_DES3_KEY_GEN",
        [0x0132] = "CKM_DES3_ECB",
        [0x0133] = "CKM_DES3_CBC",
        [0x0136] = "CKM_DES3_CBC_PAD",
        [0x0137] = "CKM_DES3_CMAC_GENERAL",
        [0x0138] = "CKM_DES3_CMAC",
        [0x1080] = "CKM_AES_KEY_GEN",
        [0x1081] = "CKM_AES_ECB",
        [0x1082] = "CKM_AES_CBC",
        [0x1085] = "CKM_AES_CBC_PAD",
        [0x1086] = "CKM_AES_CTR",
        [0x1087] = "CKM_AES_GCM",
        [0x108A] = "CKM_AES_CMAC",
        [0x2109] = "CKM_AES_KEY_WRAP",
        [0x210A] = "CKM_AES_KEY_WRAP_PAD",
        [0x2000] = "CKM_DSA_PARAMETER_GEN",
        [0x2001] = "CKM_DH_PKCS_PARAMETER_GEN",
        [0x0020] = "CKM_DH_PKCS_KEY_PAIR_GEN",
        [0x0021] = "CKM_DH_PKCS_DERIVE",
        [EcKeyPairGen] = "CKM_EC_KEY_PAIR_GEN",
        [Ecdsa] = "CKM_ECDSA",
        [EcdsaSha1] = "CKM_ECDSA_SHA1",
        [EcdsaSha224] = "CKM_ECDSA_SHA224",
        [EcdsaSha256] = "CKM_ECDSA_SHA256",
        [EcdsaSha384] = "CKM_ECDSA_SHA384",
        [EcdsaSha512] = "CKM_ECDSA_SHA512",
        [0x1050] = "CKM_ECDH1_DERIVE",
        [EcEdwardsKeyPairGen] = "CKM_EC_EDWARDS_KEY_PAIR_GEN",
        [Eddsa] = "CKM_EDDSA",
        [0x1200] = "CKM_GOSTR3410_KEY_PAIR_GEN",
        [0x1201] = "CKM_GOSTR3410",
        [0x1202] = "CKM_GOSTR3410_WITH_GOSTR3411",
        [0x1210] = "CKM_GOSTR3411",
        [0x1211] = "CKM_GOSTR3411_HMAC",
        [0x0370] = "CKM_SSL3_PRE_MASTER_KEY_GEN",
        [0x0360] = "CKM_CONCATENATE_BASE_AND_KEY",
        [0x1100] = "CKM_DES_ECB_ENCRYPT_DATA",
        [0x1101] = "CKM_DES_CBC_ENCRYPT_DATA",
        [0x1102] = "CKM_DES3_ECB_ENCRYPT_DATA",
        [0x1103] = "CKM_DES3_CBC_ENCRYPT_DATA",
        [0x1104] = "CKM_AES_ECB_ENCRYPT_DATA",
        [0x1105] = "CKM_AES_CBC_ENCRYPT_DATA",
        [0x0121] = "CKM_DES_ECB",
        [0x0122] = "CKM_DES_CBC",
        [0x0125] = "CKM_DES_CBC_PAD",
        [0x0130] = "CKM_DES2_KEY_GEN",
        [0x0222] = "CKM_SHA_1_HMAC_GENERAL",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ulong> ByName =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The CKM_ name, or `CKM_0x...` when the table does not know the value.</summary>
    public static string NameOf(ulong type) =>
        Names.TryGetValue(type, out var name) ? name : "CKM_0x" + type.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses `CKM_RSA_PKCS_PSS`, `RSA_PKCS_PSS` or `0x0D`.</summary>
    public static bool TryParse(string text, out ulong type)
    {
        var t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out type);
        }

        if (!t.StartsWith("CKM_", StringComparison.OrdinalIgnoreCase))
        {
            t = "CKM_" + t;
        }

        return ByName.TryGetValue(t, out type);
    }
}
