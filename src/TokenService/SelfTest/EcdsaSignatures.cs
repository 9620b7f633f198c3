using System.Formats.Asn1;

namespace TokenService.SelfTest;

/// <summary>
/// CKM_ECDSA returns r‖s, each as long as the curve's order (PKCS#11 v2.40 §2.3.1); TLS carries the DER
/// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 8422 §5.4, RFC 3279 §2.2.3). Clients convert.
/// </summary>
internal static class EcdsaSignatures
{
    /// <exception cref="ArgumentException">The input is empty or of odd length.</exception>
    public static byte[] RawToDer(ReadOnlySpan<byte> rs)
    {
        if (rs.IsEmpty || rs.Length % 2 != 0)
        {
            throw new ArgumentException($"r‖s must be two halves of equal length, not {rs.Length} bytes.", nameof(rs));
        }

        var half = rs.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // DER INTEGERs are minimal: leading zero octets go, and one comes back when the high bit is set
            // (X.690 §8.3.2), which WriteIntegerUnsigned adds.
            writer.WriteIntegerUnsigned(Minimal(rs[..half]));
            writer.WriteIntegerUnsigned(Minimal(rs[half..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return value[i..];
    }
}
