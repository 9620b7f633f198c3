using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>
/// Checks a token's signature as the TLS peer would: with the public key, over the same content, in the form
/// TLS sends (DER for ECDSA). .NET verifies RSA and ECDSA; BouncyCastle verifies EdDSA, which .NET lacks.
/// </summary>
internal static class SignatureVerifier
{
    /// <param name="content">What TLS signs (the EdDSA input).</param>
    /// <param name="digest">Hash(content) for the schemes that name a hash.</param>
    /// <param name="signature">As TLS carries it: PKCS#1/PSS octets, DER ECDSA-Sig-Value, or the EdDSA signature.</param>
    public static bool Verify(VerificationKey key, SignatureScheme scheme, ReadOnlySpan<byte> content, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.Kind switch
            {
                KeyKind.Rsa => VerifyRsa(key, scheme, digest, signature),
                KeyKind.Ec => VerifyEcdsa(key, digest, signature),
                KeyKind.EcEdwards => VerifyEdDsa(key, content, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            // A public key .NET cannot import (odd curve, malformed point) cannot vouch for anything.
            return false;
        }
    }

    private static bool VerifyRsa(VerificationKey key, SignatureScheme scheme, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = key.Modulus.ToArray(), Exponent = key.Exponent.ToArray() });

        // RSASignaturePadding.Pss is MGF1 with the same hash and a salt as long as the hash: exactly what TLS
        // requires (RFC 8446 §4.2.3), and what OpenSSL-based servers check.
        var padding = scheme.IsPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyHash(digest, signature, SchemeHashes.Name(scheme.Hash), padding);
    }

    private static bool VerifyEcdsa(VerificationKey key, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> derSignature)
    {
        var point = key.Point.AsSpan();
        if (Curves.Oid(key.Curve) is not { } oid || point.Length < 3 || point[0] != 0x04 || point.Length % 2 == 0)
        {
            return false;
        }

        var half = (point.Length - 1) / 2;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.CreateFromValue(oid),
            Q = new ECPoint { X = point.Slice(1, half).ToArray(), Y = point.Slice(1 + half, half).ToArray() },
        });
        return ecdsa.VerifyHash(digest, derSignature, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>PureEdDSA (RFC 8032 §5.1.7, §5.2.7) with an empty context, as TLS uses it (RFC 8446 §4.2.3).</summary>
    private static bool VerifyEdDsa(VerificationKey key, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        var point = key.Point.AsSpan();
        (ISigner Signer, ICipherParameters PublicKey)? verifier = key.Curve switch
        {
            Curves.Ed25519 when point.Length == Ed25519PublicKeyParameters.KeySize =>
                (new Ed25519Signer(), new Ed25519PublicKeyParameters(point)),
            Curves.Ed448 when point.Length == Ed448PublicKeyParameters.KeySize =>
                (new Ed448Signer([]), new Ed448PublicKeyParameters(point)),
            _ => null,
        };
        if (verifier is not { } found)
        {
            return false;
        }

        var (signer, publicKey) = found;
        signer.Init(forSigning: false, publicKey);
        signer.BlockUpdate(content);
        return signer.VerifySignature(signature.ToArray());
    }
}
