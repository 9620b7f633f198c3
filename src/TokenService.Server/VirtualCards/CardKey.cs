using System.Numerics;
using System.Security.Cryptography;

namespace TokenService.VirtualCards;

/// <summary>
/// A private key held by a virtual card, with the operations a card performs: raw RSA (the PIV card edge: the host
/// pads), PKCS#1 v1.5 type 1 padding then RSA (JPKI: the card pads a DigestInfo), ECDSA over a given hash with a DER
/// ECDSA-Sig-Value answer (SP 800-73-4 Part 2 §3.2.4).
/// </summary>
internal sealed class CardKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private CardKey(RSA? rsa, ECDsa? ecdsa)
    {
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    public bool IsRsa => _rsa is not null;

    /// <summary>Modulus bytes (RSA) or field bytes (EC).</summary>
    public int Size => _rsa is not null ? _rsa.KeySize / 8 : (_ecdsa!.KeySize + 7) / 8;

    public int KeySizeBits => _rsa?.KeySize ?? _ecdsa!.KeySize;

    public static CardKey FromPkcs8(byte[] pkcs8)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new CardKey(rsa, null);
        }
        catch (CryptographicException)
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new CardKey(null, ecdsa);
        }
    }

    /// <summary>m^d mod n (RFC 8017 §5.1.2, RSASP1) over an input as long as the modulus; null when it is not smaller than n.</summary>
    public byte[]? RawRsa(ReadOnlySpan<byte> input)
    {
        var parameters = _rsa!.ExportParameters(includePrivateParameters: true);
        var n = ToInteger(parameters.Modulus!);
        var m = ToInteger(input);
        if (input.Length != parameters.Modulus!.Length || m >= n)
        {
            return null;
        }

        // Chinese remainder theorem (RFC 8017 §5.1.2 step 2b).
        var p = ToInteger(parameters.P!);
        var q = ToInteger(parameters.Q!);
        var m1 = BigInteger.ModPow(m, ToInteger(parameters.DP!), p);
        var m2 = BigInteger.ModPow(m, ToInteger(parameters.DQ!), q);
        var h = ToInteger(parameters.InverseQ!) * (m1 - m2) % p;
        if (h < 0)
        {
            h += p;
        }

        var s = m2 + h * q;
        var output = new byte[parameters.Modulus.Length];
        var bytes = s.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(output, output.Length - bytes.Length);
        return output;
    }

    /// <summary>EMSA-PKCS1-v1_5 encoding of <paramref name="digestInfo"/> (RFC 8017 §9.2 step 2-5), then RSASP1; null when it does not fit.</summary>
    public byte[]? Pkcs1Sign(ReadOnlySpan<byte> digestInfo)
    {
        var k = _rsa!.KeySize / 8;
        if (digestInfo.Length > k - 11)
        {
            return null;
        }

        var encoded = new byte[k];
        encoded[1] = 0x01;
        encoded.AsSpan(2, k - 3 - digestInfo.Length).Fill(0xFF);
        digestInfo.CopyTo(encoded.AsSpan(k - digestInfo.Length));
        return RawRsa(encoded);
    }

    /// <summary>ECDSA over <paramref name="hash"/> as given (the host hashed), DER-encoded.</summary>
    public byte[] EcdsaSign(ReadOnlySpan<byte> hash) =>
        _ecdsa!.SignHash(hash.ToArray(), DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);
}
