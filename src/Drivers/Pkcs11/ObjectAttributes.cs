using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// The attribute values one C_GetAttributeValue pass could read from an object, as raw bytes. An attribute the
/// token refused (CKR_ATTRIBUTE_SENSITIVE, CKR_ATTRIBUTE_TYPE_INVALID, a vendor error) is simply absent.
/// Values are decoded here rather than by Pkcs11Interop so a malformed value is absent too, never an exception.
/// </summary>
internal sealed class ObjectAttributes
{
    private readonly Dictionary<CKA, byte[]> values;

    private ObjectAttributes(Dictionary<CKA, byte[]> values) => this.values = values;

    /// <summary>
    /// Reads <paramref name="types"/> in one call when the token allows it, else one attribute at a time, so
    /// that a token refusing one attribute (v2.40 §5.7 C_GetAttributeValue) cannot hide the others.
    /// </summary>
    /// <exception cref="Pkcs11Exception">Only for errors after which nothing can be read (<see cref="Pkcs11Errors.IsFatal"/>).</exception>
    public static ObjectAttributes Read(ISession session, IObjectHandle handle, List<CKA> types)
    {
        var read = new Dictionary<CKA, byte[]>(types.Count);
        try
        {
            Collect(session.GetAttributeValue(handle, types), read);
        }
        catch (Pkcs11Exception e) when (!Pkcs11Errors.IsFatal(e.RV))
        {
            read.Clear();
            foreach (var type in types)
            {
                try
                {
                    Collect(session.GetAttributeValue(handle, [type]), read);
                }
                catch (Pkcs11Exception one) when (!Pkcs11Errors.IsFatal(one.RV))
                {
                    // This attribute stays absent.
                }
            }
        }

        return new ObjectAttributes(read);
    }

    private static void Collect(List<IObjectAttribute> attributes, Dictionary<CKA, byte[]> into)
    {
        foreach (var attribute in attributes)
        {
            using (attribute)
            {
                if (!attribute.CannotBeRead)
                {
                    into[(CKA)attribute.Type] = attribute.GetValueAsByteArray() ?? [];
                }
            }
        }
    }

    public ImmutableArray<byte> Bytes(CKA type) =>
        values.TryGetValue(type, out var value) ? ImmutableArray.Create(value) : [];

    /// <summary>UTF-8 (v2.40 §4.4: CKA_LABEL is RFC 2279 string), or null when absent.</summary>
    public string? Utf8(CKA type) =>
        values.TryGetValue(type, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>CK_BBOOL: one byte, non-zero is true. Absent or malformed reads as false.</summary>
    public bool Bool(CKA type) =>
        values.TryGetValue(type, out var value) && value.Length == 1 && value[0] != 0;

    /// <summary>A CK_ULONG in the platform's width and byte order, or null when absent or malformed.</summary>
    public ulong? ULong(CKA type) =>
        values.TryGetValue(type, out var value) && value.Length == NativeULongSize ? ReadULong(value) : null;

    /// <summary>An array of CK_ULONG (CKA_ALLOWED_MECHANISMS, v2.40 §4.7); empty when absent or malformed.</summary>
    public ImmutableArray<ulong> ULongs(CKA type)
    {
        if (!values.TryGetValue(type, out var value) || value.Length % NativeULongSize != 0)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<ulong>(value.Length / NativeULongSize);
        for (var offset = 0; offset < value.Length; offset += NativeULongSize)
        {
            result.Add(ReadULong(value.AsSpan(offset, NativeULongSize)));
        }

        return result.MoveToImmutable();
    }

    /// <summary>CK_ULONG is C unsigned long: 8 bytes on 64-bit Unix, 4 on Windows (Pkcs11Interop decides the same way).</summary>
    private static int NativeULongSize => Platform.NativeULongSize;

    /// <summary>The module wrote the value in host byte order.</summary>
    private static ulong ReadULong(ReadOnlySpan<byte> value) =>
        value.Length == 8 ? MemoryMarshal.Read<ulong>(value) : MemoryMarshal.Read<uint>(value);
}
