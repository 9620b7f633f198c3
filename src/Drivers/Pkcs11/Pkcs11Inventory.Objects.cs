using System.Collections.Immutable;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

internal static partial class Pkcs11Inventory
{
    /// <summary>CKK_EC_EDWARDS, new in PKCS#11 v3.0 (pkcs11t.h); Pkcs11Interop 5.3.0's CKK enum predates it.</summary>
    private const ulong CkkEcEdwards = 0x40;

    /// <summary>Stands for an absent CKA_KEY_TYPE: CK_UNAVAILABLE_INFORMATION (v2.40 §5.7).</summary>
    private const ulong UnavailableInformation = ulong.MaxValue;

    private static readonly List<CKA> PrivateKeyAttributes =
    [
        CKA.CKA_ID, CKA.CKA_LABEL, CKA.CKA_KEY_TYPE, CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT, CKA.CKA_EC_PARAMS,
        CKA.CKA_SIGN, CKA.CKA_ALWAYS_AUTHENTICATE, CKA.CKA_PRIVATE, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE,
        CKA.CKA_ALLOWED_MECHANISMS,
    ];

    private static readonly List<CKA> PublicKeyAttributes =
    [
        CKA.CKA_ID, CKA.CKA_LABEL, CKA.CKA_KEY_TYPE, CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT, CKA.CKA_MODULUS_BITS,
        CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT,
    ];

    private static readonly List<CKA> CertificateAttributes = [CKA.CKA_ID, CKA.CKA_LABEL, CKA.CKA_VALUE];

    private readonly record struct TokenObjects(
        ImmutableArray<PrivateKeySnapshot> PrivateKeys,
        ImmutableArray<PublicKeySnapshot> PublicKeys,
        ImmutableArray<CertificateSnapshot> Certificates,
        LoginOutcome Login,
        string? LoginMessage);

    /// <summary>
    /// Reads keys and certificates in one read-only session. Without a login only public objects are visible:
    /// objects with CKA_PRIVATE true stay hidden (v2.40 §4.4, §5.6).
    /// </summary>
    private static TokenObjects ReadObjects(ISlot slot, ulong tokenFlags, byte[]? pin)
    {
        // The flags alone decide whether the one login may be tried, before any session exists.
        var refusal = pin is null ? null : LoginPolicy.RefusalReason(tokenFlags);
        if ((tokenFlags & TokenFlags.TokenInitialized) == 0)
        {
            // An uninitialized token holds no objects, and C_OpenSession refuses it with
            // CKR_TOKEN_NOT_RECOGNIZED (SoftHSM always offers one such free slot). The policy refused any login.
            return new TokenObjects([], [], [], refusal is null ? LoginOutcome.NotAttempted : LoginOutcome.RefusedByPolicy, refusal);
        }

        var session = slot.OpenSession(SessionType.ReadOnly);
        try
        {
            var login = refusal is null
                ? TokenSessions.LogIn(session, pin)
                : new LoginResult(LoginOutcome.RefusedByPolicy, refusal, MadeByUs: false);
            try
            {
                return new TokenObjects(
                    ReadPrivateKeys(session), ReadPublicKeys(session), ReadCertificates(session), login.Outcome, login.Message);
            }
            finally
            {
                if (login.MadeByUs)
                {
                    TokenSessions.LogOut(session);
                }
            }
        }
        finally
        {
            TokenSessions.Close(session);
        }
    }

    private static ImmutableArray<PrivateKeySnapshot> ReadPrivateKeys(ISession session) =>
        Find(session, CKO.CKO_PRIVATE_KEY, PrivateKeyAttributes, static (handle, a) =>
        {
            var keyType = a.ULong(CKA.CKA_KEY_TYPE);
            return new PrivateKeySnapshot
            {
                Handle = handle,
                Id = a.Bytes(CKA.CKA_ID),
                Label = a.Utf8(CKA.CKA_LABEL),
                Kind = KindOf(keyType),
                KeyType = keyType ?? UnavailableInformation,
                Modulus = a.Bytes(CKA.CKA_MODULUS),
                PublicExponent = a.Bytes(CKA.CKA_PUBLIC_EXPONENT),
                EcParams = a.Bytes(CKA.CKA_EC_PARAMS),
                Sign = a.Bool(CKA.CKA_SIGN),
                AlwaysAuthenticate = a.Bool(CKA.CKA_ALWAYS_AUTHENTICATE),
                Private = a.Bool(CKA.CKA_PRIVATE),
                Sensitive = a.Bool(CKA.CKA_SENSITIVE),
                Extractable = a.Bool(CKA.CKA_EXTRACTABLE),
                AllowedMechanisms = a.ULongs(CKA.CKA_ALLOWED_MECHANISMS),
            };
        });

    private static ImmutableArray<PublicKeySnapshot> ReadPublicKeys(ISession session) =>
        Find(session, CKO.CKO_PUBLIC_KEY, PublicKeyAttributes, static (handle, a) =>
        {
            var keyType = a.ULong(CKA.CKA_KEY_TYPE);
            var modulusBits = a.ULong(CKA.CKA_MODULUS_BITS);
            return new PublicKeySnapshot
            {
                Handle = handle,
                Id = a.Bytes(CKA.CKA_ID),
                Label = a.Utf8(CKA.CKA_LABEL),
                Kind = KindOf(keyType),
                KeyType = keyType ?? UnavailableInformation,
                Modulus = a.Bytes(CKA.CKA_MODULUS),
                PublicExponent = a.Bytes(CKA.CKA_PUBLIC_EXPONENT),
                ModulusBits = modulusBits <= int.MaxValue ? (int)modulusBits : null,
                EcParams = a.Bytes(CKA.CKA_EC_PARAMS),
                EcPoint = a.Bytes(CKA.CKA_EC_POINT),
            };
        });

    /// <summary>X.509 certificates only (CKC_X_509, v2.40 §4.6.3); other certificate types cannot do TLS.</summary>
    private static ImmutableArray<CertificateSnapshot> ReadCertificates(ISession session) =>
        Find(session, CKO.CKO_CERTIFICATE, CertificateAttributes, static (handle, a) => new CertificateSnapshot
        {
            Handle = handle,
            Id = a.Bytes(CKA.CKA_ID),
            Label = a.Utf8(CKA.CKA_LABEL),
            Value = a.Bytes(CKA.CKA_VALUE),
        }, CKC.CKC_X_509);

    private static ImmutableArray<T> Find<T>(
        ISession session, CKO objectClass, List<CKA> attributes, Func<ulong, ObjectAttributes, T> snapshot, CKC? certificateType = null)
    {
        var factory = session.Factories.ObjectAttributeFactory;
        List<IObjectAttribute> template = [factory.Create(CKA.CKA_CLASS, objectClass)];
        if (certificateType is { } type)
        {
            template.Add(factory.Create(CKA.CKA_CERTIFICATE_TYPE, type));
        }

        List<IObjectHandle> handles;
        try
        {
            handles = session.FindAllObjects(template);
        }
        finally
        {
            template.ForEach(static attribute => attribute.Dispose());
        }

        var result = ImmutableArray.CreateBuilder<T>(handles.Count);
        foreach (var handle in handles)
        {
            result.Add(snapshot(handle.ObjectId, ObjectAttributes.Read(session, handle, attributes)));
        }

        return result.MoveToImmutable();
    }

    private static KeyKind KindOf(ulong? keyType) => keyType switch
    {
        (ulong)CKK.CKK_RSA => KeyKind.Rsa,
        (ulong)CKK.CKK_EC => KeyKind.Ec,
        CkkEcEdwards => KeyKind.EcEdwards,
        _ => KeyKind.Other,
    };
}
