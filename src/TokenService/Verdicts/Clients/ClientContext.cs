using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Clients;

/// <summary>Everything a client stack's decision depends on, for one key.</summary>
internal sealed record ClientContext(
    KeyFacts Key,
    TokenMechanisms Token,
    ServerModel Server,
    DateTimeOffset Now,
    bool TokenHoldsEdDsaKey)
{
    public bool CertificateExpired => Key.Certificate is { } c && (Now > c.NotAfter || Now < c.NotBefore);

    public bool IsRsa => Key.Kind == KeyKind.Rsa;
}

/// <summary>A client's predicted result for one TLS version.</summary>
/// <param name="Cause">The reason or problem code behind a failure.</param>
internal sealed record ClientOutcome(bool Ok, SignatureScheme? Scheme, string? Error, string? Cause)
{
    public static ClientOutcome Success(SignatureScheme scheme) => new(true, scheme, null, null);

    public static ClientOutcome Failure(string error, string cause, SignatureScheme? scheme = null) => new(false, scheme, error, cause);
}
