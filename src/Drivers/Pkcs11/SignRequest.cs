using System.Collections.Immutable;

namespace TokenService.Drivers.Pkcs11;

/// <summary>What <see cref="Pkcs11Signer.SignAll"/> should sign, on which token, with which PIN.</summary>
internal sealed class SignRequest
{
    /// <summary>The token's CK_TOKEN_INFO.label (trailing blanks ignored).</summary>
    public required string TokenLabel { get; init; }

    /// <summary>CK_TOKEN_INFO.serialNumber, when several tokens could share the label; null matches any.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>
    /// The user PIN: one CKU_USER login, and one CKU_CONTEXT_SPECIFIC login per signature with a
    /// CKA_ALWAYS_AUTHENTICATE key. Passed to the module as is, never copied, kept or printed; the caller clears it.
    /// </summary>
    public required byte[] Pin { get; init; }

    /// <summary>The signatures, made in this order.</summary>
    public required IReadOnlyList<SignItem> Items { get; init; }
}

/// <summary>One C_SignInit + C_Sign with the private key whose CKA_ID is <paramref name="KeyId"/>.</summary>
/// <param name="Pss">CK_RSA_PKCS_PSS_PARAMS for CKM_RSA_PKCS_PSS (PKCS#11 v2.40 §2.1.14), else null.</param>
/// <param name="Data">What C_Sign gets: a digest, a DigestInfo, an encoded message or the whole message, per mechanism.</param>
internal sealed record SignItem(ImmutableArray<byte> KeyId, ulong Mechanism, PssParameters? Pss, ImmutableArray<byte> Data);

/// <summary>CK_RSA_PKCS_PSS_PARAMS: hashAlg (a CKM_SHAx), mgf (a CKG_MGF1_SHAx) and sLen in bytes.</summary>
internal sealed record PssParameters(ulong HashAlgorithm, ulong Mgf, ulong SaltLength);

/// <summary>What became of one <see cref="SignItem"/>.</summary>
internal enum SignStatus
{
    /// <summary>C_Sign returned a signature.</summary>
    Signed,
    /// <summary>The token refused: C_SignInit, the context-specific C_Login or C_Sign returned an error.</summary>
    Refused,
    /// <summary>Nothing was asked of the token for this item (no login, no such key, an earlier refusal).</summary>
    NotAttempted,
}

/// <param name="Signature">The bytes C_Sign returned (r‖s for CKM_ECDSA), empty unless signed.</param>
/// <param name="ReturnValue">The CKR_ name when refused.</param>
/// <param name="Function">The PKCS#11 function that refused (C_SignInit, C_Login, C_Sign).</param>
/// <param name="Detail">Why it was not attempted, in words; never contains the PIN.</param>
internal sealed record SignItemResult(
    SignStatus Status, ImmutableArray<byte> Signature, string? ReturnValue, string? Function, string? Detail)
{
    public static SignItemResult Signed(byte[] signature) => new(SignStatus.Signed, [.. signature], null, null, null);

    public static SignItemResult Refused(string function, string returnValue) =>
        new(SignStatus.Refused, [], returnValue, function, null);

    public static SignItemResult NotAttempted(string why) => new(SignStatus.NotAttempted, [], null, null, why);
}

/// <summary>What <see cref="Pkcs11Signer.SignAll"/> did: its one login, and each item in request order.</summary>
internal sealed record SignResult
{
    public required Snapshots.LoginOutcome Login { get; init; }

    /// <summary>Why the login was refused or failed, or why the token was not reached; never contains the PIN.</summary>
    public string? LoginMessage { get; init; }

    public required ImmutableArray<SignItemResult> Items { get; init; }

    /// <summary>C_Login(CKU_CONTEXT_SPECIFIC) calls made (one per signature with a CKA_ALWAYS_AUTHENTICATE key).</summary>
    public int ContextSpecificLogins { get; init; }
}
