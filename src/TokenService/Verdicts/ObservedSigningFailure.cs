namespace TokenService.Verdicts;

/// <summary>
/// A signature the self-test asked the token for, through a route the lists allow, that failed: the token
/// refused it (<paramref name="ReturnValue"/> is the CKR_ name) or returned a signature that does not verify
/// (<paramref name="ReturnValue"/> is null). An observation, not a rule: it overrides what the lists claim.
/// </summary>
internal sealed record ObservedSigningFailure(ulong Mechanism, ushort SchemeCode, string? ReturnValue)
{
    public const string DoesNotVerify = "signature does not verify";
}
