using System.Collections.Immutable;
using System.Text;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// PC/SC's multi-string (SCardListReaders, SCardStatus): NUL-terminated UTF-8 strings one after another,
/// the list ended by an empty string (pcsc-lite API, SCardListReaders).
/// </summary>
internal static class MultiString
{
    public static ImmutableArray<string> Parse(ReadOnlySpan<byte> value)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        while (!value.IsEmpty)
        {
            var end = value.IndexOf((byte)0);
            var item = end < 0 ? value : value[..end];
            if (item.IsEmpty)
            {
                break;
            }

            builder.Add(Encoding.UTF8.GetString(item));
            value = end < 0 ? [] : value[(end + 1)..];
        }

        return builder.ToImmutable();
    }
}
