using System.Collections.Immutable;

namespace TokenService.Verdicts;

/// <summary>Whether one scheme can be made with one key on one token, by which route, and why (not).</summary>
internal sealed record SchemeEvaluation(
    SignatureScheme Scheme,
    bool Usable,
    SigningRoute? Route,
    ImmutableArray<string> Reasons);
