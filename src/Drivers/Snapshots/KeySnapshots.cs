using System.Collections.Immutable;

namespace TokenService.Drivers.Snapshots;

/// <summary>CKK_ families the engine distinguishes.</summary>
public enum KeyKind
{
    Other,
    Rsa,
    /// <summary>CKK_EC (ECDSA keys).</summary>
    Ec,
    /// <summary>CKK_EC_EDWARDS (Ed25519, Ed448).</summary>
    EcEdwards,
}

/// <summary>A private key object and the attributes that decide whether and how it can sign.</summary>
public sealed record PrivateKeySnapshot
{
    public required ulong Handle { get; init; }
    public ImmutableArray<byte> Id { get; init; } = [];
    public string? Label { get; init; }
    public required KeyKind Kind { get; init; }
    /// <summary>Raw CKA_KEY_TYPE.</summary>
    public ulong KeyType { get; init; }

    /// <summary>CKA_MODULUS (RSA), when readable.</summary>
    public ImmutableArray<byte> Modulus { get; init; } = [];
    /// <summary>CKA_PUBLIC_EXPONENT (RSA), when readable.</summary>
    public ImmutableArray<byte> PublicExponent { get; init; } = [];
    /// <summary>CKA_EC_PARAMS (DER, normally a named-curve OID) for EC and Edwards keys.</summary>
    public ImmutableArray<byte> EcParams { get; init; } = [];

    /// <summary>CKA_SIGN.</summary>
    public bool Sign { get; init; }
    /// <summary>CKA_ALWAYS_AUTHENTICATE (a context-specific login for every signature).</summary>
    public bool AlwaysAuthenticate { get; init; }
    /// <summary>CKA_PRIVATE.</summary>
    public bool Private { get; init; }
    /// <summary>CKA_SENSITIVE.</summary>
    public bool Sensitive { get; init; }
    /// <summary>CKA_EXTRACTABLE.</summary>
    public bool Extractable { get; init; }
    /// <summary>CKA_ALLOWED_MECHANISMS, or default when absent or empty (no restriction).</summary>
    public ImmutableArray<ulong> AllowedMechanisms { get; init; } = [];
}

/// <summary>A public key object.</summary>
public sealed record PublicKeySnapshot
{
    public required ulong Handle { get; init; }
    public ImmutableArray<byte> Id { get; init; } = [];
    public string? Label { get; init; }
    public required KeyKind Kind { get; init; }
    public ulong KeyType { get; init; }
    public ImmutableArray<byte> Modulus { get; init; } = [];
    public ImmutableArray<byte> PublicExponent { get; init; } = [];
    /// <summary>CKA_MODULUS_BITS when reported.</summary>
    public int? ModulusBits { get; init; }
    public ImmutableArray<byte> EcParams { get; init; } = [];
    /// <summary>CKA_EC_POINT as stored (normally a DER OCTET STRING around the point).</summary>
    public ImmutableArray<byte> EcPoint { get; init; } = [];
}

/// <summary>An X.509 certificate object (CKC_X_509).</summary>
public sealed record CertificateSnapshot
{
    public required ulong Handle { get; init; }
    public ImmutableArray<byte> Id { get; init; } = [];
    public string? Label { get; init; }
    /// <summary>CKA_VALUE: the DER certificate.</summary>
    public ImmutableArray<byte> Value { get; init; } = [];
}
