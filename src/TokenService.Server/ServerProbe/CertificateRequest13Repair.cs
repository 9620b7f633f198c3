using System.Buffers.Binary;

namespace TokenService.ServerProbe;

/// <summary>
/// OpenSSL 3.0 with a client CA list and SSL_OP_DISABLE_TLSEXT_CA_NAMES (`s_server -CAfile ... -no_ca_names`) sends
/// a TLS 1.3 certificate_authorities extension holding an empty list, which RFC 8446 §4.2.4 forbids
/// (`DistinguishedName authorities&lt;3..2^16-1&gt;`), so BouncyCastle rightly stops with decode_error. The probe only
/// reads what the server asks, and an empty list names no authority: it drops that extension before parsing.
/// </summary>
internal static class CertificateRequest13Repair
{
    /// <summary>RFC 8446 §4.2: ExtensionType certificate_authorities(47).</summary>
    public const ushort CertificateAuthoritiesExtension = 47;

    /// <summary>
    /// Parses the body of a TLS 1.3 CertificateRequest (RFC 8446 §4.3.2: `opaque certificate_request_context&lt;0..2^8-1&gt;;
    /// Extension extensions&lt;2..2^16-1&gt;;`) and returns it without certificate_authorities extensions whose list is
    /// empty. Returns false, leaving judgement to the TLS stack, when there is nothing to drop or the body does not
    /// parse.
    /// </summary>
    public static bool TryDropEmptyCertificateAuthorities(ReadOnlySpan<byte> body, out byte[] repaired)
    {
        repaired = [];
        if (body.Length < 1 || body.Length < 1 + body[0] + 2)
        {
            return false;
        }

        var contextEnd = 1 + body[0];
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(body[contextEnd..]);
        var extensions = body[(contextEnd + 2)..];
        if (extensions.Length != extensionsLength)
        {
            return false;
        }

        var kept = new List<byte>(body.Length);
        var dropped = false;
        while (!extensions.IsEmpty)
        {
            if (extensions.Length < 4)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var dataLength = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            if (extensions.Length < 4 + dataLength)
            {
                return false;
            }

            var data = extensions.Slice(4, dataLength);
            if (type == CertificateAuthoritiesExtension && IsEmptyVector(data))
            {
                dropped = true;
            }
            else
            {
                kept.AddRange(extensions[..(4 + dataLength)]);
            }

            extensions = extensions[(4 + dataLength)..];
        }

        if (!dropped)
        {
            return false;
        }

        var result = new byte[contextEnd + 2 + kept.Count];
        body[..contextEnd].CopyTo(result);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(contextEnd), (ushort)kept.Count);
        kept.CopyTo(result, contextEnd + 2);
        repaired = result;
        return true;
    }

    /// <summary>No data at all, or a 16-bit length prefix of zero.</summary>
    private static bool IsEmptyVector(ReadOnlySpan<byte> data) => data.IsEmpty || data is [0, 0];
}
