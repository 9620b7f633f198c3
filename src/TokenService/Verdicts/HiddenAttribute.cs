using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts;

/// <summary>What a key seen without login could not show: the private key object and the attributes that only it carries.</summary>
internal enum HiddenAttribute
{
    /// <summary>Whether a private key for the certificate or public key exists at all.</summary>
    PrivateKey,
    /// <summary>CKA_SIGN: assumed true.</summary>
    Sign,
    /// <summary>CKA_ALLOWED_MECHANISMS: assumed absent (every mechanism the token lists).</summary>
    AllowedMechanisms,
    /// <summary>CKA_ALWAYS_AUTHENTICATE: assumed false.</summary>
    AlwaysAuthenticate,
}

/// <summary>What a token shows without a login (PKCS#11 v2.40 §4.4: CKA_PRIVATE objects need one).</summary>
internal static class Visibility
{
    /// <summary>Everything a private key object would have told, in contract order.</summary>
    public static ImmutableArray<HiddenAttribute> PrivateKeyHidden { get; } =
        [HiddenAttribute.PrivateKey, HiddenAttribute.Sign, HiddenAttribute.AllowedMechanisms, HiddenAttribute.AlwaysAuthenticate];

    /// <summary>The token needs a login and none was made (not given, refused by policy, or failed).</summary>
    public static bool PrivateObjectsHidden(TokenSnapshot token) =>
        token.Login != LoginOutcome.LoggedIn && (token.Flags & TokenFlags.LoginRequired) != 0;
}
