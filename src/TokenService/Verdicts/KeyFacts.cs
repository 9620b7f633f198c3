using System.Collections.Immutable;
using TokenService.Certificates;
using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts;

/// <summary>A private key with what was learnt about it: size, curve, public key, its certificate.</summary>
internal sealed record KeyFacts
{
    public required PrivateKeySnapshot Key { get; init; }
    public KeyKind Kind => Key.Kind;
    /// <summary>RSA modulus bits, or the curve's size.</summary>
    public int? Bits { get; init; }
    public string? Curve { get; init; }
    /// <summary>RSA: modulus and exponent; EC/Ed: the bare point. Empty when neither object told us.</summary>
    public ImmutableArray<byte> PublicModulus { get; init; } = [];
    public ImmutableArray<byte> PublicExponent { get; init; } = [];
    public ImmutableArray<byte> PublicPoint { get; init; } = [];
    public CertificateSnapshot? CertificateObject { get; init; }
    public CertificateFacts? Certificate { get; init; }
    /// <summary>True when the certificate's key was compared with the key pair's and is the same.</summary>
    public bool CertificateMatchesKey { get; init; }
    /// <summary>True when no public key was available to compare with (matching fell back to CKA_ID).</summary>
    public bool CertificateMatchUnverified { get; init; }

    /// <summary>
    /// True when the certificate's key was compared with the key pair's and differs. Not when no public key
    /// could be compared: then the CKA_ID convention is assumed (and reported as certificate-key-unverified).
    /// </summary>
    public bool CertificateKeyDiffers => Certificate is not null && !CertificateMatchesKey && !CertificateMatchUnverified;

    /// <summary>Signatures the self-test saw fail through routes the lists allow; empty without a self-test.</summary>
    public ImmutableArray<ObservedSigningFailure> SigningFailures { get; init; } = [];

    public bool HasAllowedMechanisms => !Key.AllowedMechanisms.IsDefaultOrEmpty;

    /// <summary>The self-test's failure for this mechanism and scheme, if it saw one.</summary>
    public ObservedSigningFailure? ObservedFailure(ulong mechanism, SignatureScheme scheme) =>
        SigningFailures.IsDefaultOrEmpty ? null : SigningFailures.FirstOrDefault(f => f.Mechanism == mechanism && f.SchemeCode == scheme.Code);

    public bool Allows(ulong mechanism) => !HasAllowedMechanisms || Key.AllowedMechanisms.Contains(mechanism);

    /// <summary>emLen of RFC 8017 §9.1.1: ceil((modBits - 1) / 8).</summary>
    public int? RsaEncodedLength => Kind == KeyKind.Rsa && Bits is { } b ? (b - 1 + 7) / 8 : null;

    /// <summary>Builds the facts for every private key and pairs certificates by public key (CKA_ID only as a fallback).</summary>
    public static ImmutableArray<KeyFacts> FromToken(TokenSnapshot token)
    {
        var certs = token.Certificates
            .Select(c => (Object: c, Facts: CertificateFacts.TryParse(c.Value.AsSpan())))
            .ToList();
        var result = ImmutableArray.CreateBuilder<KeyFacts>();
        foreach (var key in token.PrivateKeys)
        {
            var pub = token.PublicKeys.FirstOrDefault(p => p.Kind == key.Kind && p.Id.AsSpan().SequenceEqual(key.Id.AsSpan()));
            var facts = Describe(key, pub);
            var byKey = certs.FirstOrDefault(c => c.Facts is not null && facts.SamePublicKey(c.Facts));
            if (byKey.Object is not null)
            {
                result.Add(facts with { CertificateObject = byKey.Object, Certificate = byKey.Facts, CertificateMatchesKey = true });
                continue;
            }

            var byId = certs.FirstOrDefault(c => !key.Id.IsDefaultOrEmpty && c.Object.Id.AsSpan().SequenceEqual(key.Id.AsSpan()));
            result.Add(byId.Object is null
                ? facts
                : facts with
                {
                    CertificateObject = byId.Object,
                    Certificate = byId.Facts,
                    CertificateMatchesKey = false,
                    CertificateMatchUnverified = !facts.HasPublicKey,
                });
        }

        return result.ToImmutable();
    }

    private bool HasPublicKey => !PublicModulus.IsDefaultOrEmpty || !PublicPoint.IsDefaultOrEmpty;

    private static KeyFacts Describe(PrivateKeySnapshot key, PublicKeySnapshot? pub)
    {
        switch (key.Kind)
        {
            case KeyKind.Rsa:
                var modulus = !key.Modulus.IsDefaultOrEmpty ? key.Modulus : pub?.Modulus ?? [];
                var exponent = !key.PublicExponent.IsDefaultOrEmpty ? key.PublicExponent : pub?.PublicExponent ?? [];
                int? bits = !modulus.IsDefaultOrEmpty ? KeyMaterial.BitLength(modulus.AsSpan()) : pub?.ModulusBits;
                return new KeyFacts
                {
                    Key = key,
                    Bits = bits,
                    PublicModulus = modulus.IsDefaultOrEmpty ? [] : KeyMaterial.TrimLeadingZeros(modulus.AsSpan()),
                    PublicExponent = exponent.IsDefaultOrEmpty ? [] : KeyMaterial.TrimLeadingZeros(exponent.AsSpan()),
                };
            case KeyKind.Ec or KeyKind.EcEdwards:
                var ecParams = !key.EcParams.IsDefaultOrEmpty ? key.EcParams : pub?.EcParams ?? [];
                var curve = Curves.FromEcParams(ecParams.AsSpan());
                return new KeyFacts
                {
                    Key = key,
                    Curve = curve,
                    Bits = Curves.FieldBits(curve),
                    PublicPoint = pub is null || pub.EcPoint.IsDefaultOrEmpty ? [] : KeyMaterial.UnwrapEcPoint(pub.EcPoint.AsSpan(), Curves.BarePointLength(curve)),
                };
            default:
                return new KeyFacts { Key = key };
        }
    }

    private bool SamePublicKey(CertificateFacts cert)
    {
        if (Kind == KeyKind.Rsa && !PublicModulus.IsDefaultOrEmpty)
        {
            return CertificateFacts.TryReadRsaPublicKey(cert.SubjectPublicKey.AsSpan()) is { } rsa
                && rsa.Modulus.AsSpan().SequenceEqual(PublicModulus.AsSpan())
                && (PublicExponent.IsDefaultOrEmpty || rsa.Exponent.AsSpan().SequenceEqual(PublicExponent.AsSpan()));
        }

        return !PublicPoint.IsDefaultOrEmpty && cert.SubjectPublicKey.AsSpan().SequenceEqual(PublicPoint.AsSpan());
    }
}
