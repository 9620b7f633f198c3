using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>
/// The DER DigestInfo that EMSA-PKCS1-v1_5 pads (RFC 8017 §9.2): what a client passes to CKM_RSA_PKCS,
/// which pads but neither hashes nor adds the algorithm identifier (PKCS#11 v2.40 §2.1.6).
/// </summary>
internal static class DigestInfo
{
    // RFC 8017 §9.2, Note 1: the DER of DigestInfo ::= SEQUENCE { AlgorithmIdentifier (hash OID, NULL), OCTET STRING }
    // up to the digest itself.
    private static readonly byte[] Sha1Prefix = Convert.FromHexString("3021300906052b0e03021a05000414");
    private static readonly byte[] Sha256Prefix = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] Sha384Prefix = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] Sha512Prefix = Convert.FromHexString("3051300d060960864801650304020305000440");

    public static ReadOnlySpan<byte> Prefix(HashAlgorithmKind hash) => hash switch
    {
        HashAlgorithmKind.Sha1 => Sha1Prefix,
        HashAlgorithmKind.Sha256 => Sha256Prefix,
        HashAlgorithmKind.Sha384 => Sha384Prefix,
        HashAlgorithmKind.Sha512 => Sha512Prefix,
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "PKCS#1 v1.5 needs a hash."),
    };

    /// <exception cref="ArgumentException">The digest is not as long as the hash's output.</exception>
    public static byte[] Encode(HashAlgorithmKind hash, ReadOnlySpan<byte> digest)
    {
        var prefix = Prefix(hash);
        // The prefix ends with the OCTET STRING's length octet: the digest length it announces.
        if (digest.Length != prefix[^1])
        {
            throw new ArgumentException($"A {hash} digest is {prefix[^1]} bytes, not {digest.Length}.", nameof(digest));
        }

        return [.. prefix, .. digest];
    }
}
