using System.Buffers.Binary;
using System.Security.Cryptography;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>
/// EMSA-PSS encoding done by the client (RFC 8017 §9.1.1) with MGF1 (§B.2.1), for tokens that offer only raw
/// RSA (CKM_RSA_X_509): the "software PSS" of libp11 and Chrome on macOS (docs/tls-client-auth.md §2, §7).
/// </summary>
internal static class EmsaPss
{
    /// <summary>
    /// EMSA-PSS-ENCODE(M, emBits) given mHash = Hash(M) and the salt; TLS uses MGF1 with the same hash and a
    /// salt as long as the hash (RFC 8446 §4.2.3). Returns EM, emLen = ceil(emBits / 8) octets.
    /// </summary>
    /// <param name="emBits">modBits - 1 for RSASSA-PSS (RFC 8017 §8.1.1 step 1).</param>
    /// <exception cref="ArgumentException">mHash has the wrong length, or emLen &lt; hLen + sLen + 2 ("encoding error").</exception>
    public static byte[] Encode(HashAlgorithmKind hash, ReadOnlySpan<byte> mHash, ReadOnlySpan<byte> salt, int emBits)
    {
        var hLen = SchemeHashes.Hash(hash, []).Length;
        if (mHash.Length != hLen)
        {
            throw new ArgumentException($"mHash must be {hLen} bytes, not {mHash.Length}.", nameof(mHash));
        }

        // Step 3.
        var emLen = (emBits + 7) / 8;
        if (emLen < hLen + salt.Length + 2)
        {
            throw new ArgumentException($"encoding error: emLen {emLen} < hLen {hLen} + sLen {salt.Length} + 2", nameof(emBits));
        }

        // Steps 5-6: M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt; H = Hash(M').
        var h = SchemeHashes.Hash(hash, [.. new byte[8], .. mHash, .. salt]);

        // Steps 7-8: DB = PS || 0x01 || salt, PS being emLen - sLen - hLen - 2 zero octets.
        var db = new byte[emLen - hLen - 1];
        db[emLen - salt.Length - hLen - 2] = 0x01;
        salt.CopyTo(db.AsSpan(db.Length - salt.Length));

        // Steps 9-10: maskedDB = DB xor MGF(H, emLen - hLen - 1).
        var mask = Mgf1(hash, h, db.Length);
        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        // Step 11: clear the leftmost 8emLen - emBits bits of maskedDB, so that EM < 2^emBits < n.
        db[0] &= (byte)(0xFF >> ((8 * emLen) - emBits));

        // Step 12: EM = maskedDB || H || 0xbc.
        return [.. db, .. h, 0xBC];
    }

    /// <summary>
    /// RSASSA-PSS-SIGN's input to RSASP1 as a k-octet string (RFC 8017 §8.1.1 step 2): EM, left-padded with one
    /// zero octet when emLen = k - 1 (modBits ≡ 1 mod 8). CKM_RSA_X_509 takes exactly this (PKCS#11 v2.40 §2.1.8).
    /// </summary>
    public static byte[] ToModulusLength(ReadOnlySpan<byte> em, int modulusBytes)
    {
        if (em.Length > modulusBytes)
        {
            throw new ArgumentException("EM is longer than the modulus.", nameof(em));
        }

        var block = new byte[modulusBytes];
        em.CopyTo(block.AsSpan(modulusBytes - em.Length));
        return block;
    }

    /// <summary>MGF1 (RFC 8017 §B.2.1): Hash(mgfSeed || C) for C = 0, 1, ..., truncated to maskLen octets.</summary>
    public static byte[] Mgf1(HashAlgorithmKind hash, ReadOnlySpan<byte> mgfSeed, int maskLen)
    {
        var mask = new byte[maskLen];
        var input = new byte[mgfSeed.Length + 4];
        mgfSeed.CopyTo(input);
        var written = 0;
        for (uint counter = 0; written < maskLen; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(mgfSeed.Length), counter);
            var block = SchemeHashes.Hash(hash, input);
            var take = Math.Min(block.Length, maskLen - written);
            block.AsSpan(0, take).CopyTo(mask.AsSpan(written));
            written += take;
        }

        CryptographicOperations.ZeroMemory(input);
        return mask;
    }
}
