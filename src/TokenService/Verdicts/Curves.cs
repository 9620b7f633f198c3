using System.Collections.Frozen;
using System.Formats.Asn1;

namespace TokenService.Verdicts;

/// <summary>Curve names as the report prints them, and the CKA_EC_PARAMS decoding that yields them.</summary>
internal static class Curves
{
    public const string P256 = "secp256r1";
    public const string P384 = "secp384r1";
    public const string P521 = "secp521r1";
    public const string Secp256k1 = "secp256k1";
    public const string BrainpoolP256 = "brainpoolP256r1";
    public const string BrainpoolP384 = "brainpoolP384r1";
    public const string BrainpoolP512 = "brainpoolP512r1";
    public const string Ed25519 = "ed25519";
    public const string Ed448 = "ed448";

    /// <summary>The NIST curves TLS 1.2 still defines for ECDSA (RFC 8422 §5.1.1 deprecates the rest).</summary>
    public static bool IsTls12Curve(string? curve) => curve is P256 or P384 or P521;

    public static int? FieldBits(string? curve) => curve switch
    {
        P256 or Secp256k1 or BrainpoolP256 => 256,
        P384 or BrainpoolP384 => 384,
        P521 => 521,
        BrainpoolP512 => 512,
        Ed25519 => 255,
        Ed448 => 448,
        _ => null,
    };

    /// <summary>
    /// Length of the bare public point: 04‖X‖Y uncompressed (SEC 1 §2.3.3), or the RFC 8032 §5.1.2/§5.2.2
    /// encoding for Ed25519/Ed448.
    /// </summary>
    public static int? BarePointLength(string? curve) => curve switch
    {
        Ed25519 => 32,
        Ed448 => 57,
        _ => FieldBits(curve) is { } bits ? 1 + (2 * ((bits + 7) / 8)) : null,
    };

    /// <summary>
    /// Decodes CKA_EC_PARAMS: DER of ECParameters, normally a namedCurve OID (PKCS#11 v3.0 §2.3.3), or for
    /// Edwards keys the PrintableString form ("edwards25519") that PKCS#11 v3.0 §2.3.5 also allows.
    /// </summary>
    public static string? FromEcParams(ReadOnlySpan<byte> ecParams)
    {
        if (ecParams.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(ecParams.ToArray(), AsnEncodingRules.DER);
            var tag = reader.PeekTag();
            if (tag.HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return FromOid(reader.ReadObjectIdentifier());
            }

            if (tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.PrintableString)))
            {
                return reader.ReadCharacterString(UniversalTagNumber.PrintableString) switch
                {
                    "edwards25519" or "ed25519" => Ed25519,
                    "edwards448" or "ed448" => Ed448,
                    var other => other,
                };
            }
        }
        catch (AsnContentException)
        {
        }

        return null;
    }

    /// <summary>The curve's name, or the OID itself when the table does not know it.</summary>
    public static string? FromOid(string oid) => oid == "1.3.6.1.4.1.11591.15.1" ? Ed25519 : NamedOids.GetValueOrDefault(oid, oid);

    /// <summary>The named-curve OID (RFC 5480 §2.1.1.1, RFC 5639, RFC 8410), or null for an unknown curve.</summary>
    public static string? Oid(string? curve) => curve is null ? null : OidsByName.GetValueOrDefault(curve);

    private static readonly FrozenDictionary<string, string> NamedOids = new Dictionary<string, string>
    {
        ["1.2.840.10045.3.1.7"] = P256,
        ["1.3.132.0.34"] = P384,
        ["1.3.132.0.35"] = P521,
        ["1.3.132.0.10"] = Secp256k1,
        ["1.3.36.3.3.2.8.1.1.7"] = BrainpoolP256,
        ["1.3.36.3.3.2.8.1.1.11"] = BrainpoolP384,
        ["1.3.36.3.3.2.8.1.1.13"] = BrainpoolP512,
        ["1.3.101.112"] = Ed25519,
        ["1.3.101.113"] = Ed448,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> OidsByName =
        NamedOids.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
}
