using System.Collections.Immutable;
using System.Formats.Asn1;

namespace TokenService.Certificates;

/// <summary>Public key material as comparable bytes, whatever object it came from.</summary>
internal static class KeyMaterial
{
    public static ImmutableArray<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return [.. value[i..]];
    }

    /// <summary>Bit length of a big-endian unsigned integer (the RSA modulus size, RFC 8017 §2).</summary>
    public static int BitLength(ReadOnlySpan<byte> value)
    {
        var trimmed = TrimLeadingZeros(value).AsSpan();
        if (trimmed.IsEmpty || (trimmed.Length == 1 && trimmed[0] == 0))
        {
            return 0;
        }

        var top = trimmed[0];
        var bits = 0;
        while (top != 0)
        {
            bits++;
            top >>= 1;
        }

        return ((trimmed.Length - 1) * 8) + bits;
    }

    /// <summary>
    /// CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 v3.0 §2.3.3); some modules store the bare
    /// point. Returns the bare point either way.
    /// </summary>
    /// <param name="ecPoint">CKA_EC_POINT as read.</param>
    /// <param name="bareLength">
    /// The length of the bare point on the key's curve, when known. A bare uncompressed point also starts with
    /// 0x04, and one whose next byte equals its remaining length (1 in 256 P-256 points) reads as a complete
    /// OCTET STRING; the DER form is always longer than the bare one, so a value of exactly this length is bare.
    /// </param>
    public static ImmutableArray<byte> UnwrapEcPoint(ReadOnlySpan<byte> ecPoint, int? bareLength = null)
    {
        if (ecPoint.Length != bareLength && ecPoint.Length > 2 && ecPoint[0] == 0x04)
        {
            try
            {
                var reader = new AsnReader(ecPoint.ToArray(), AsnEncodingRules.DER);
                var inner = reader.ReadOctetString();
                // A bare uncompressed point whose first X byte equals its length - 2 also reads as an OCTET STRING
                // (1 in 256 random keys): the content must itself be a point (SEC 1 §2.3.3: 02, 03 or 04 first) or
                // an Edwards key (RFC 8032: 32 or 57 bytes).
                if (!reader.HasData && (inner.Length is 32 or 57 || (inner.Length > 0 && inner[0] is 0x02 or 0x03 or 0x04)))
                {
                    return [.. inner];
                }
            }
            catch (AsnContentException)
            {
                // An uncompressed point also starts with 0x04: it is the bare point.
            }
        }

        return [.. ecPoint];
    }
}
