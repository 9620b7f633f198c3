using TokenService.Verdicts;

namespace TokenService.SelfTest;

internal enum SelfTestResult
{
    Passed,
    Failed,
    NotAttempted,
}

/// <summary>What the self-test learnt about one scheme through one route (or why it learnt nothing).</summary>
/// <param name="Route">The route signed through; null for a scheme no route can make.</param>
/// <param name="ReturnValue">The CKR_ name the token refused with; null when it signed, or was not asked.</param>
/// <param name="Detail">What happened, in words: which key verified the signature, which call refused, why nothing was tried.</param>
internal sealed record SelfTestOutcome(
    TlsVersion Version,
    SignatureScheme Scheme,
    SigningRoute? Route,
    SelfTestResult Result,
    string? ReturnValue,
    string Detail)
{
    /// <summary>The observation the verdict engine takes from a failure; null for anything else.</summary>
    public ObservedSigningFailure? AsObservation() => Result == SelfTestResult.Failed && Route is { } route
        ? new ObservedSigningFailure(route.Mechanism, Scheme.Code, ReturnValue)
        : null;
}
