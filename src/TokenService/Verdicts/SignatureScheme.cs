using System.Collections.Frozen;
using TokenService.Tls;

namespace TokenService.Verdicts;

internal enum TlsVersion
{
    Tls12,
    Tls13,
}

internal static class TlsVersionNames
{
    /// <summary>`TLS 1.3` or `TLS 1.2`, as messages print it.</summary>
    public static string Label(this TlsVersion version) => version == TlsVersion.Tls13 ? "TLS 1.3" : "TLS 1.2";
}

/// <summary>How a scheme signs: decides the PKCS#11 routes that can make it.</summary>
internal enum SchemeFamily
{
    /// <summary>RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).</summary>
    RsaPkcs1,
    /// <summary>RFC 9963 rsa_pkcs1_*_legacy: PKCS#1 v1.5 in TLS 1.3, only when the server lists it.</summary>
    RsaPkcs1Legacy,
    /// <summary>RSASSA-PSS with an rsaEncryption certificate key (RFC 8446 §4.2.3).</summary>
    RsaPssRsae,
    /// <summary>RSASSA-PSS with an id-RSASSA-PSS certificate key (RFC 8446 §4.2.3).</summary>
    RsaPssPss,
    Ecdsa,
    EdDsa,
}

internal enum HashAlgorithmKind
{
    None,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// <summary>A TLS SignatureScheme (RFC 8446 §4.2.3) with the facts the rules need.</summary>
/// <param name="BoundCurve">TLS 1.3 binds ECDSA schemes to one curve (RFC 8446 §4.2.3); Ed schemes name theirs.</param>
/// <param name="InTls12">Defined for TLS 1.2 (RFC 5246 §7.4.1.4.1 pairs, RFC 8446 §4.2.3 PSS, RFC 8422 EdDSA).</param>
/// <param name="InTls13">Defined for TLS 1.3 CertificateVerify (before the TLS 1.3 ban on PKCS#1 and SHA-1).</param>
internal sealed record SignatureScheme(
    ushort Code,
    SchemeFamily Family,
    HashAlgorithmKind Hash,
    string? BoundCurve,
    bool InTls12,
    bool InTls13)
{
    /// <summary>The IANA name, from the one name table (<see cref="SignatureSchemeNames"/>).</summary>
    public string Name => SignatureSchemeNames.NameOf(Code);

    public string CodeText => $"0x{Code:x4}";

    /// <summary>Hash output length in bytes (hLen of RFC 8017 §9.1.1).</summary>
    public int HashLength => Hash switch
    {
        HashAlgorithmKind.Sha1 => 20,
        HashAlgorithmKind.Sha256 => 32,
        HashAlgorithmKind.Sha384 => 48,
        HashAlgorithmKind.Sha512 => 64,
        _ => 0,
    };

    /// <summary>
    /// tLen of RFC 8017 §9.2: the DER DigestInfo, 15 octets of prefix for SHA-1 and 19 for SHA-2 (Note 1), plus the hash.
    /// </summary>
    public int DigestInfoLength => (Hash == HashAlgorithmKind.Sha1 ? 15 : 19) + HashLength;

    public bool IsRsa => Family is SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy or SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss;

    public bool IsPss => Family is SchemeFamily.RsaPssRsae or SchemeFamily.RsaPssPss;

    public bool IsPkcs1 => Family is SchemeFamily.RsaPkcs1 or SchemeFamily.RsaPkcs1Legacy;
}

/// <summary>Every scheme the engine evaluates, in a stable display order.</summary>
internal static class SignatureSchemes
{
    public static readonly SignatureScheme RsaPkcs1Sha1 = new(0x0201, SchemeFamily.RsaPkcs1, HashAlgorithmKind.Sha1, null, true, true);
    public static readonly SignatureScheme RsaPkcs1Sha256 = new(0x0401, SchemeFamily.RsaPkcs1, HashAlgorithmKind.Sha256, null, true, true);
    public static readonly SignatureScheme RsaPkcs1Sha384 = new(0x0501, SchemeFamily.RsaPkcs1, HashAlgorithmKind.Sha384, null, true, true);
    public static readonly SignatureScheme RsaPkcs1Sha512 = new(0x0601, SchemeFamily.RsaPkcs1, HashAlgorithmKind.Sha512, null, true, true);
    public static readonly SignatureScheme RsaPkcs1Sha256Legacy = new(0x0420, SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha256, null, false, true);
    public static readonly SignatureScheme RsaPkcs1Sha384Legacy = new(0x0520, SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha384, null, false, true);
    public static readonly SignatureScheme RsaPkcs1Sha512Legacy = new(0x0620, SchemeFamily.RsaPkcs1Legacy, HashAlgorithmKind.Sha512, null, false, true);
    public static readonly SignatureScheme RsaPssRsaeSha256 = new(0x0804, SchemeFamily.RsaPssRsae, HashAlgorithmKind.Sha256, null, true, true);
    public static readonly SignatureScheme RsaPssRsaeSha384 = new(0x0805, SchemeFamily.RsaPssRsae, HashAlgorithmKind.Sha384, null, true, true);
    public static readonly SignatureScheme RsaPssRsaeSha512 = new(0x0806, SchemeFamily.RsaPssRsae, HashAlgorithmKind.Sha512, null, true, true);
    public static readonly SignatureScheme RsaPssPssSha256 = new(0x0809, SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha256, null, true, true);
    public static readonly SignatureScheme RsaPssPssSha384 = new(0x080a, SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha384, null, true, true);
    public static readonly SignatureScheme RsaPssPssSha512 = new(0x080b, SchemeFamily.RsaPssPss, HashAlgorithmKind.Sha512, null, true, true);
    public static readonly SignatureScheme EcdsaSha1 = new(0x0203, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha1, null, true, true);
    public static readonly SignatureScheme EcdsaP256Sha256 = new(0x0403, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha256, Curves.P256, true, true);
    public static readonly SignatureScheme EcdsaP384Sha384 = new(0x0503, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha384, Curves.P384, true, true);
    public static readonly SignatureScheme EcdsaP521Sha512 = new(0x0603, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha512, Curves.P521, true, true);
    public static readonly SignatureScheme EcdsaBrainpoolP256 = new(0x081a, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha256, Curves.BrainpoolP256, false, true);
    public static readonly SignatureScheme EcdsaBrainpoolP384 = new(0x081b, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha384, Curves.BrainpoolP384, false, true);
    public static readonly SignatureScheme EcdsaBrainpoolP512 = new(0x081c, SchemeFamily.Ecdsa, HashAlgorithmKind.Sha512, Curves.BrainpoolP512, false, true);
    public static readonly SignatureScheme Ed25519 = new(0x0807, SchemeFamily.EdDsa, HashAlgorithmKind.None, Curves.Ed25519, true, true);
    public static readonly SignatureScheme Ed448 = new(0x0808, SchemeFamily.EdDsa, HashAlgorithmKind.None, Curves.Ed448, true, true);

    public static readonly IReadOnlyList<SignatureScheme> All =
    [
        RsaPssRsaeSha256, RsaPssRsaeSha384, RsaPssRsaeSha512,
        RsaPssPssSha256, RsaPssPssSha384, RsaPssPssSha512,
        RsaPkcs1Sha256, RsaPkcs1Sha384, RsaPkcs1Sha512, RsaPkcs1Sha1,
        RsaPkcs1Sha256Legacy, RsaPkcs1Sha384Legacy, RsaPkcs1Sha512Legacy,
        EcdsaP256Sha256, EcdsaP384Sha384, EcdsaP521Sha512, EcdsaSha1,
        EcdsaBrainpoolP256, EcdsaBrainpoolP384, EcdsaBrainpoolP512,
        Ed25519, Ed448,
    ];

    private static readonly FrozenDictionary<ushort, SignatureScheme> ByCode = All.ToFrozenDictionary(s => s.Code);

    public static bool TryGet(string name, out SignatureScheme scheme)
    {
        scheme = null!;
        return SignatureSchemeNames.TryParse(name.Trim(), out var code) && TryGet(code, out scheme);
    }

    public static bool TryGet(ushort code, out SignatureScheme scheme) => ByCode.TryGetValue(code, out scheme!);
}
