using System.Collections.Immutable;

namespace TokenService.Drivers.Snapshots;

/// <summary>One slot with a token present, and what could be read from it.</summary>
public sealed record TokenSnapshot
{
    public required ulong SlotId { get; init; }
    public string SlotDescription { get; init; } = "";
    public string Label { get; init; } = "";
    public string Manufacturer { get; init; } = "";
    public string Model { get; init; } = "";
    public string SerialNumber { get; init; } = "";

    /// <summary>CK_TOKEN_INFO.flags as the token reported them (PKCS#11 v2.40 §3.2 CK_TOKEN_INFO).</summary>
    public ulong Flags { get; init; }

    /// <summary>Mechanisms from C_GetMechanismList, each with its C_GetMechanismInfo.</summary>
    public ImmutableArray<MechanismSnapshot> Mechanisms { get; init; } = [];

    /// <summary>
    /// Signature mechanisms absent from C_GetMechanismList for which C_GetMechanismInfo still answered.
    /// GnuTLS decides PSS support with C_GetMechanismInfo, so such a module misleads it (docs/tls-client-auth.md §7).
    /// </summary>
    public ImmutableArray<MechanismSnapshot> UnlistedMechanismsAnswered { get; init; } = [];

    public ImmutableArray<PrivateKeySnapshot> PrivateKeys { get; init; } = [];
    public ImmutableArray<PublicKeySnapshot> PublicKeys { get; init; } = [];
    public ImmutableArray<CertificateSnapshot> Certificates { get; init; } = [];

    public LoginOutcome Login { get; init; } = LoginOutcome.NotAttempted;

    /// <summary>Why the login was refused or failed (never contains the PIN).</summary>
    public string? LoginMessage { get; init; }
}

/// <summary>What happened to the one read-only login an inventory may make.</summary>
public enum LoginOutcome
{
    NotAttempted,
    LoggedIn,
    /// <summary>We did not try: the token reports final-try or locked, or needs a PIN pad.</summary>
    RefusedByPolicy,
    /// <summary>The token refused the PIN (never retried).</summary>
    Failed,
}

/// <summary>CK_TOKEN_INFO flag values used by the engine (PKCS#11 v2.40 §3.2).</summary>
public static class TokenFlags
{
    public const ulong Rng = 0x1;
    public const ulong WriteProtected = 0x2;
    public const ulong LoginRequired = 0x4;
    public const ulong UserPinInitialized = 0x8;
    public const ulong ProtectedAuthenticationPath = 0x100;
    public const ulong TokenInitialized = 0x400;
    public const ulong UserPinCountLow = 0x10000;
    public const ulong UserPinFinalTry = 0x20000;
    public const ulong UserPinLocked = 0x40000;
    public const ulong UserPinToBeChanged = 0x80000;
    public const ulong SoPinCountLow = 0x100000;
    public const ulong SoPinFinalTry = 0x200000;
    public const ulong SoPinLocked = 0x400000;
    public const ulong SoPinToBeChanged = 0x800000;
}
