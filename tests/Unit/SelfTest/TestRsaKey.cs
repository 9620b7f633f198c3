using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace TokenService.Tests.Unit.SelfTest;

/// <summary>
/// An RSA key for tests, made once per size and process by .NET, or read from the 2049-bit test key below.
/// <see cref="Raise"/> is RSASP1 (RFC 8017 §5.2.1), the raw private operation that CKM_RSA_X_509 performs and
/// .NET does not expose.
/// </summary>
internal sealed record TestRsaKey(RSAParameters Public, RSAParameters? Full, RsaPrivateCrtKeyParameters Private)
{
    private static readonly ConcurrentDictionary<int, Lazy<TestRsaKey>> Made = new();

    public static TestRsaKey OfSize(int bits) => Made.GetOrAdd(bits, b => new Lazy<TestRsaKey>(() => Make(b))).Value;

    public int Bits => Private.Modulus.BitLength;

    /// <summary>s = m^d mod n (CRT), as a k-octet string.</summary>
    public byte[] Raise(ReadOnlySpan<byte> block)
    {
        var engine = new RsaEngine();
        engine.Init(forEncryption: true, Private);
        return engine.ProcessBlock(block.ToArray(), 0, block.Length);
    }

    private const string Rsa2049Pem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEpAIBAAKCAQEBH+GCemIMXfNCWubB+fIRm96+nkqm95k4Rmqx5YoS93G89dxb
        DDYgy+4SBK/tsEfUDcDjcQRynpT/BqnjgPO1RV18VxbraCWHDT8XhDGeoRltSMAc
        dLu4F/c9vKTNk3ijkWIC3Y4WtZUm/pFlVbewUuaag0hs2Awmao9VmITI9nUZxW7b
        n4bhFjQ9W8UN8TvQv7lCGCjocEbduq6iUHDmrsfNwAl+nxQusp1+eFkVV4Ki8NL8
        JnKEoKQVLDUFHyARzsUEicEWGanpRNWmHZGAqM0LDrHvmeasrIOvjRmEbwHgndtn
        t9O3H30JP+nnw2NJBbOHN32OSOh4hMKlC7fNBwIDAQABAoIBAAJCo6dCI8EvWr0w
        CrVBdKzwQsAnWl2nx8D3pwaGQSy8Quoe3zu8eoeCk0A9+HIF6p7RKGTONRnp/HBb
        MEH/+O0nVTA6Q4qToR8PvNrUsQoOtTfKHMJI8dXa3qxBmyKshNjKRsgVSHxL5nhh
        JryRUxW5aiDTr+qPAu4SqH/kO89Ofhq7JNN7hVLKBN+hIOohuWj9QFf6aGT//2fu
        scMCudy0KJwKVDZaiKWmYNm+2LW7foWa+tdeSYKurGu7ePebYRtnxhMdErCHxVKo
        y4HrCB0bVKk/b6kIKwdsMJ6+McYCrGD3rtFwzlbn+bauWb3B2WM21WTyX+F14KU4
        NPocBEkCgYEBNF+iqSGC8vY4+qPKEFf3eTLefGzqGUgiQ5wKEDEnwzxrl+8rxV1S
        8QXbVN/g1K3ez4LkSFB0wPiq7LOk8qDl5VOEtjtzva7JJYBZOpXpuodjzGYL5Hl1
        ZbpI18WyZnCy2nhaUwYog7hWl/wTPESpXYrGr9I9Wh2GyBRZ3aUm0C8CgYEA7vzd
        v1K1gPNZxavbWAxnWHjfv1X/OZYHgvRBUj1sjs9u6OsmAGzqWeQ7/CDWa2RvT99Y
        qiTMdJWfjkH9W6L8glvNQl8+TXRANaoxNrAy/lRd5qkhgPw1vsASZBeo7dUXhjem
        KzPnYDBiSFeGQwgPK4tEGYYaCAozv/q03aoIAqkCgYEA7hNrvJIPzE5GPVNYvHd9
        q0eXt45KygwD0BjXOBsLLNMn6hwPugdL8qLn68YQiYJXA/R1FFNxYE5bf/VNwrhv
        5TYuvpZ1zBr2VoqZ2P5GfejrJrIeOl1/QnOoq1WJX0dg/gRvD6wweUlHKX3Gx//m
        lj5/GN0C2uDy3uO/YbyQk6cCgYA16GYgpQh6GOp0E0r79nhNVZ6q6zwSAkyZdn1R
        jrdxE0tiUMCWsfq+4iPBwKp9OP9+1dOLNZfE6IdAMJR02jP5N7n6Mb+8+u8M6+IE
        AwTNp7wyro33KWz6JRtA5rFdTIbs6Jqb/i4/3UoeJVgMwMGjQdvPohc3Hw4DTQsF
        QThjWQKBgQEAXr/9TutTdi8P59GjSUiDzrM2v5upVyA3KQKAbZ9YTVqogSN0vQQ/
        VdYfrFVyl/CHskJhxzdEfvo9nTBcJ1mTbn0c5bF6GNeIrrE6OXFjs1vh4wMdCEgV
        35yGiKIAa+4FKMDo9PV/awOOJfUyvInMWIHyqc+JRGeCJOzr8vIxZA==
        -----END RSA PRIVATE KEY-----
        """;

    private static TestRsaKey Make(int bits)
    {
        if (bits % 8 == 0)
        {
            using var rsa = RSA.Create(bits);
            var full = rsa.ExportParameters(includePrivateParameters: true);
            var pair = DotNetUtilities.GetRsaKeyPair(full);
            return new(rsa.ExportParameters(includePrivateParameters: false), full, (RsaPrivateCrtKeyParameters)pair.Private);
        }

        // Neither .NET nor OpenSSL makes RSA keys of odd sizes; this one came from BouncyCastle once. A test key only.
        var generated = bits == 2049
            ? (RsaPrivateCrtKeyParameters)((AsymmetricCipherKeyPair)new PemReader(new StringReader(Rsa2049Pem)).ReadObject()).Private
            : throw new ArgumentOutOfRangeException(nameof(bits), bits, "No test key of that size.");
        var publicOnly = new RSAParameters
        {
            Modulus = generated.Modulus.ToByteArrayUnsigned(),
            Exponent = generated.PublicExponent.ToByteArrayUnsigned(),
        };
        return new(publicOnly, null, generated);
    }
}
