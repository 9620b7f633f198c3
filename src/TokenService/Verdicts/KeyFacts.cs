using System.Collections.Immutable;
using System.Formats.Asn1;
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

    /// <summary>
    /// What could not be seen: empty for a private key object read from the token; for a key that stands in for a
    /// hidden one (a certificate or public key seen without login) the private key and the attributes only it
    /// carries, which <see cref="Key"/> then holds as assumptions (CKA_SIGN true, no CKA_ALLOWED_MECHANISMS,
    /// CKA_ALWAYS_AUTHENTICATE false).
    /// </summary>
    public ImmutableArray<HiddenAttribute> Hidden { get; init; } = [];

    /// <summary>True when the verdict rests on the private key's own attributes.</summary>
    public bool Confirmed => Hidden.IsDefaultOrEmpty;

    /// <summary>The self-test's failure for this mechanism and scheme, if it saw one.</summary>
    public ObservedSigningFailure? ObservedFailure(ulong mechanism, SignatureScheme scheme) =>
        SigningFailures.IsDefaultOrEmpty ? null : SigningFailures.FirstOrDefault(f => f.Mechanism == mechanism && f.SchemeCode == scheme.Code);

    public bool Allows(ulong mechanism) => !HasAllowedMechanisms || Key.AllowedMechanisms.Contains(mechanism);

    /// <summary>emLen of RFC 8017 §9.1.1: ceil((modBits - 1) / 8).</summary>
    public int? RsaEncodedLength => Kind == KeyKind.Rsa && Bits is { } b ? (b - 1 + 7) / 8 : null;

    /// <summary>
    /// Builds the facts for every private key and pairs certificates by public key (CKA_ID only as a fallback).
    /// When private objects are hidden (<see cref="Visibility.PrivateObjectsHidden"/>), every certificate and
    /// every public key left over stands for a key the token holds: judged from what it shows, unconfirmed.
    /// </summary>
    public static ImmutableArray<KeyFacts> FromToken(TokenSnapshot token)
    {
        var certs = token.Certificates
            .Select(c => (Object: c, Facts: CertificateFacts.TryParse(c.Value.AsSpan())))
            .ToList();
        var pairedCertificates = new HashSet<CertificateSnapshot>(ReferenceEqualityComparer.Instance);
        var pairedPublicKeys = new HashSet<PublicKeySnapshot>(ReferenceEqualityComparer.Instance);
        var result = ImmutableArray.CreateBuilder<KeyFacts>();
        foreach (var key in token.PrivateKeys)
        {
            var pub = token.PublicKeys.FirstOrDefault(p => p.Kind == key.Kind && p.Id.AsSpan().SequenceEqual(key.Id.AsSpan()));
            if (pub is not null)
            {
                pairedPublicKeys.Add(pub);
            }

            var facts = WithCertificate(Describe(key, pub), certs);
            if (facts.CertificateObject is { } paired)
            {
                pairedCertificates.Add(paired);
            }

            result.Add(facts);
        }

        if (!Visibility.PrivateObjectsHidden(token))
        {
            return result.ToImmutable();
        }

        // A CA certificate the card carries (JPKI keeps its issuers' on the card) stands for no key of the holder's.
        foreach (var (certObject, cert) in certs.Where(c => !pairedCertificates.Contains(c.Object) && c.Facts is not { IsCertificateAuthority: true }))
        {
            var unpaired = token.PublicKeys.Where(p => !pairedPublicKeys.Contains(p)).ToList();
            var pub = cert is null ? null
                : unpaired.FirstOrDefault(p => StandIn(null, null, p).SamePublicKey(cert))
                    ?? unpaired.FirstOrDefault(p => !p.Id.IsDefaultOrEmpty && p.Id.AsSpan().SequenceEqual(certObject.Id.AsSpan()));
            if (pub is not null)
            {
                pairedPublicKeys.Add(pub);
            }

            result.Add(StandIn(certObject, cert, pub));
        }

        // Middleware derives public key objects from the certificates (OpenSC's emulators do): one that is a CA
        // certificate's key, by value or by CKA_ID, is no more the holder's key than its certificate.
        var caCertificates = certs.Where(c => c.Facts is { IsCertificateAuthority: true }).ToList();
        bool OfCa(PublicKeySnapshot p) => caCertificates.Any(c =>
            StandIn(null, null, p).SamePublicKey(c.Facts!) || (!p.Id.IsDefaultOrEmpty && p.Id.AsSpan().SequenceEqual(c.Object.Id.AsSpan())));
        // A public key object that shows nothing of its key (no modulus, size, curve or point) cannot be judged either:
        // OpenSC's JPKI emulator lists the signature key's public key as a private object (pkcs15-jpki.c), so before the
        // signature PIN its attributes stay unreadable; judging it would make the card incompatible for want of a PIN.
        foreach (var pub in token.PublicKeys.Where(p => !pairedPublicKeys.Contains(p) && !OfCa(p) && ShowsKeyMaterial(p)))
        {
            result.Add(StandIn(null, null, pub));
        }

        return result.ToImmutable();
    }

    private static bool ShowsKeyMaterial(PublicKeySnapshot pub) =>
        !pub.Modulus.IsDefaultOrEmpty || pub.ModulusBits is not null || !pub.EcParams.IsDefaultOrEmpty || !pub.EcPoint.IsDefaultOrEmpty;

    private static KeyFacts WithCertificate(KeyFacts facts, List<(CertificateSnapshot Object, CertificateFacts? Facts)> certs)
    {
        var byKey = certs.FirstOrDefault(c => c.Facts is not null && facts.SamePublicKey(c.Facts));
        if (byKey.Object is not null)
        {
            return facts with { CertificateObject = byKey.Object, Certificate = byKey.Facts, CertificateMatchesKey = true };
        }

        var id = facts.Key.Id;
        var byId = certs.FirstOrDefault(c => !id.IsDefaultOrEmpty && c.Object.Id.AsSpan().SequenceEqual(id.AsSpan()));
        return byId.Object is null
            ? facts
            : facts with
            {
                CertificateObject = byId.Object,
                Certificate = byId.Facts,
                CertificateMatchesKey = false,
                CertificateMatchUnverified = !facts.HasPublicKey,
            };
    }

    /// <summary>
    /// A key the token hides, described by its certificate and/or public key (at least one of them). The private
    /// key's own attributes are assumptions, named in <see cref="Hidden"/>. A certificate that carries the public key
    /// itself is this key's by construction; with a public key object too, the two are compared like any pair.
    /// </summary>
    private static KeyFacts StandIn(CertificateSnapshot? certObject, CertificateFacts? cert, PublicKeySnapshot? pub)
    {
        var kind = pub?.Kind ?? KindOf(cert);
        // The public key object describes the key when there is one (the certificate is then compared with it).
        var rsa = kind == KeyKind.Rsa && cert is not null && pub is not { Modulus.IsDefaultOrEmpty: false }
            ? CertificateFacts.TryReadRsaPublicKey(cert.SubjectPublicKey.AsSpan())
            : null;
        var assumed = new PrivateKeySnapshot
        {
            Handle = certObject?.Handle ?? pub?.Handle ?? 0,
            Id = certObject?.Id ?? pub?.Id ?? [],
            Label = certObject?.Label ?? pub?.Label,
            Kind = kind,
            KeyType = pub?.KeyType ?? 0,
            Modulus = rsa?.Modulus ?? [],
            PublicExponent = rsa?.Exponent ?? [],
            EcParams = pub is { EcParams.IsDefaultOrEmpty: false } ? pub.EcParams : EncodedCurve(cert?.CurveOid),
            Sign = true,
            AlwaysAuthenticate = false,
            Private = true,
        };
        var facts = Describe(assumed, pub) with { Hidden = Visibility.PrivateKeyHidden };
        if (facts.PublicPoint.IsDefaultOrEmpty && kind is KeyKind.Ec or KeyKind.EcEdwards && cert is not null)
        {
            facts = facts with { PublicPoint = cert.SubjectPublicKey };
        }

        if (certObject is null)
        {
            return facts;
        }

        // Without a public key object the certificate is the only description of the key: it matches by definition.
        var matches = cert is not null && (pub is null || facts.SamePublicKey(cert));
        return facts with { CertificateObject = certObject, Certificate = cert, CertificateMatchesKey = matches };
    }

    private static KeyKind KindOf(CertificateFacts? cert) => cert?.PublicKeyAlgorithm switch
    {
        CertificateFacts.RsaEncryption or CertificateFacts.RsaPss => KeyKind.Rsa,
        CertificateFacts.EcPublicKey => KeyKind.Ec,
        _ when cert?.CurveOid is "1.3.101.112" or "1.3.101.113" => KeyKind.EcEdwards,
        _ => KeyKind.Other,
    };

    /// <summary>CKA_EC_PARAMS as a token would hold it: the DER of the namedCurve OID (PKCS#11 v3.0 §2.3.3).</summary>
    private static ImmutableArray<byte> EncodedCurve(string? oid)
    {
        if (oid is null)
        {
            return [];
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return [.. writer.Encode()];
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
