using System.Security.Cryptography;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>A scheme's hash as .NET computes it and as PKCS#11 names it (CKM_SHAx, CKG_MGF1_SHAx).</summary>
internal static class SchemeHashes
{
    private sealed record HashFacts(HashAlgorithmName Name, ulong Mechanism, ulong Mgf1);

    public static HashAlgorithmName Name(HashAlgorithmKind hash) => Of(hash).Name;

    public static byte[] Hash(HashAlgorithmKind hash, ReadOnlySpan<byte> data) => CryptographicOperations.HashData(Of(hash).Name, data);

    /// <summary>CK_RSA_PKCS_PSS_PARAMS.hashAlg (PKCS#11 v2.40 §2.1.14).</summary>
    public static ulong Mechanism(HashAlgorithmKind hash) => Of(hash).Mechanism;

    /// <summary>CK_RSA_PKCS_PSS_PARAMS.mgf: MGF1 with the same hash, as TLS requires (RFC 8446 §4.2.3).</summary>
    public static ulong Mgf1(HashAlgorithmKind hash) => Of(hash).Mgf1;

    private static HashFacts Of(HashAlgorithmKind hash) => hash switch
    {
        HashAlgorithmKind.Sha1 => new(HashAlgorithmName.SHA1, Mechanisms.Sha1, Mechanisms.MgfSha1),
        HashAlgorithmKind.Sha256 => new(HashAlgorithmName.SHA256, Mechanisms.Sha256, Mechanisms.MgfSha256),
        HashAlgorithmKind.Sha384 => new(HashAlgorithmName.SHA384, Mechanisms.Sha384, Mechanisms.MgfSha384),
        HashAlgorithmKind.Sha512 => new(HashAlgorithmName.SHA512, Mechanisms.Sha512, Mechanisms.MgfSha512),
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "The scheme names no hash."),
    };
}
