using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;

namespace TokenService.Tests.Unit.TestData;

/// <summary>One private key to put on a test token, with its certificate and the objects around it.</summary>
internal sealed record KeySpec
{
    public required TestKey Key { get; init; }
    public byte Id { get; init; } = 1;
    public string Label { get; init; } = "Authentication";
    public bool Sign { get; init; } = true;
    public bool AlwaysAuthenticate { get; init; }
    public ImmutableArray<ulong> AllowedMechanisms { get; init; } = [];
    /// <summary>False: the private key object carries no CKA_MODULUS/CKA_PUBLIC_EXPONENT (an opaque RSA key).</summary>
    public bool ModulusOnPrivateKey { get; init; } = true;
    /// <summary>Write a CKO_PUBLIC_KEY object with the same CKA_ID.</summary>
    public bool PublicKeyObject { get; init; } = true;
    /// <summary>Store CKA_EC_POINT bare instead of DER-wrapped (some modules do).</summary>
    public bool BareEcPoint { get; init; }
    /// <summary>Null: no certificate object.</summary>
    public CertificateSpec? Certificate { get; init; } = CertificateSpec.ClientAuth;
    /// <summary>The key the certificate certifies; null: this key. Another key makes a mismatched pair.</summary>
    public TestKey? CertifiedKey { get; init; }
    /// <summary>The certificate object's CKA_ID; null: the key's.</summary>
    public byte? CertificateId { get; init; }
    /// <summary>Replace the certificate's CKA_VALUE with these bytes (an unreadable or a pre-issued certificate).</summary>
    public ImmutableArray<byte>? CertificateValue { get; init; }

    public static KeySpec For(TestKey key) => new() { Key = key };
}

/// <summary>Builds a <see cref="TokenSnapshot"/> as the driver would report it: mechanisms, keys, certificates, flags.</summary>
internal sealed class TokenBuilder
{
    /// <summary>A PIN-protected, initialized token on which the inventory logged in.</summary>
    public const ulong DefaultFlags = TokenFlags.Rng | TokenFlags.LoginRequired | TokenFlags.UserPinInitialized | TokenFlags.TokenInitialized;

    private readonly List<MechanismSnapshot> _mechanisms = [];
    private readonly List<MechanismSnapshot> _unlisted = [];
    private readonly List<KeySpec> _keys = [];
    private ulong _flags = DefaultFlags;
    private LoginOutcome _login = LoginOutcome.LoggedIn;
    private string? _loginMessage;
    private string _label = "test-token";

    public static TokenBuilder With(IEnumerable<MechanismSnapshot> mechanisms)
    {
        var b = new TokenBuilder();
        b._mechanisms.AddRange(mechanisms);
        return b;
    }

    public TokenBuilder Labelled(string label)
    {
        _label = label;
        return this;
    }

    public TokenBuilder Key(KeySpec key)
    {
        _keys.Add(key);
        return this;
    }

    public TokenBuilder Key(TestKey key, Func<KeySpec, KeySpec>? change = null) => Key(change is null ? KeySpec.For(key) : change(KeySpec.For(key)));

    /// <summary>Mechanisms C_GetMechanismInfo answers for although C_GetMechanismList omits them (SoftHSM slots.mechanisms).</summary>
    public TokenBuilder AnswersUnlisted(params MechanismSnapshot[] mechanisms)
    {
        _unlisted.AddRange(mechanisms);
        return this;
    }

    public TokenBuilder Flags(ulong flags)
    {
        _flags = flags;
        return this;
    }

    public TokenBuilder Login(LoginOutcome login, string? message = null)
    {
        _login = login;
        _loginMessage = message;
        return this;
    }

    public TokenSnapshot Build()
    {
        ulong handle = 100;
        var privateKeys = ImmutableArray.CreateBuilder<PrivateKeySnapshot>();
        var publicKeys = ImmutableArray.CreateBuilder<PublicKeySnapshot>();
        var certificates = ImmutableArray.CreateBuilder<CertificateSnapshot>();
        foreach (var spec in _keys)
        {
            var key = spec.Key;
            ImmutableArray<byte> id = [spec.Id];
            privateKeys.Add(new PrivateKeySnapshot
            {
                Handle = handle++,
                Id = id,
                Label = spec.Label,
                Kind = key.Kind,
                KeyType = KeyType(key.Kind),
                Modulus = spec.ModulusOnPrivateKey ? key.Modulus : [],
                PublicExponent = spec.ModulusOnPrivateKey ? key.PublicExponent : [],
                EcParams = key.EcParams,
                Sign = spec.Sign,
                AlwaysAuthenticate = spec.AlwaysAuthenticate,
                Private = true,
                Sensitive = true,
                AllowedMechanisms = spec.AllowedMechanisms,
            });
            if (spec.PublicKeyObject)
            {
                publicKeys.Add(new PublicKeySnapshot
                {
                    Handle = handle++,
                    Id = id,
                    Label = spec.Label,
                    Kind = key.Kind,
                    KeyType = KeyType(key.Kind),
                    Modulus = key.Modulus,
                    PublicExponent = key.PublicExponent,
                    ModulusBits = key.Modulus.IsDefaultOrEmpty ? null : key.Modulus.Length * 8,
                    EcParams = key.EcParams,
                    EcPoint = spec.BareEcPoint ? key.BarePoint : key.WrappedPoint,
                });
            }

            if (spec.Certificate is { } cert)
            {
                certificates.Add(new CertificateSnapshot
                {
                    Handle = handle++,
                    Id = [spec.CertificateId ?? spec.Id],
                    Label = spec.Label,
                    Value = spec.CertificateValue ?? TestCa.Issue(spec.CertifiedKey ?? key, cert),
                });
            }
        }

        return new TokenSnapshot
        {
            SlotId = 0,
            SlotDescription = "Virtual PCD 00 00",
            Label = _label,
            Manufacturer = "TokenService Tests",
            Model = "unit",
            SerialNumber = "0000000000000001",
            Flags = _flags,
            Mechanisms = [.. _mechanisms],
            UnlistedMechanismsAnswered = [.. _unlisted],
            PrivateKeys = privateKeys.ToImmutable(),
            PublicKeys = publicKeys.ToImmutable(),
            Certificates = certificates.ToImmutable(),
            Login = _login,
            LoginMessage = _loginMessage,
        };
    }

    /// <summary>CKK_RSA, CKK_EC, CKK_EC_EDWARDS (PKCS#11 v3.0 §6).</summary>
    private static ulong KeyType(KeyKind kind) => kind switch
    {
        KeyKind.Rsa => 0x0,
        KeyKind.Ec => 0x3,
        KeyKind.EcEdwards => 0x40,
        _ => 0xFFFF,
    };
}
