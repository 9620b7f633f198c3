using System.Text;

namespace TokenService.Handshake;

/// <summary>
/// PKCS#11 URIs (RFC 7512) for the engine: token label, object label and CKA_ID, type=private. Never a PIN:
/// libp11 prints the URI it failed to find, and the PIN reaches the engine another way.
/// </summary>
internal static class Pkcs11KeyUri
{
    public static string PrivateKey(string tokenLabel, string? objectLabel, ReadOnlySpan<byte> id)
    {
        ArgumentNullException.ThrowIfNull(tokenLabel);
        var uri = new StringBuilder("pkcs11:token=").Append(Encode(tokenLabel.TrimEnd()));
        if (!string.IsNullOrEmpty(objectLabel))
        {
            uri.Append(";object=").Append(Encode(objectLabel));
        }

        if (!id.IsEmpty)
        {
            uri.Append(";id=");
            foreach (var b in id)
            {
                uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return uri.Append(";type=private").ToString();
    }

    /// <summary>Percent-encodes every UTF-8 byte outside RFC 3986 "unreserved" (RFC 7512 §2.3 pk11-pchar).</summary>
    public static string Encode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
