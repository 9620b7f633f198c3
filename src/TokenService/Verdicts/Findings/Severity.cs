namespace TokenService.Verdicts.Findings;

internal enum Severity
{
    /// <summary>Blocks the key (or token) whatever the client.</summary>
    Error,
    /// <summary>Limits the key: a TLS version or some clients fail.</summary>
    Warning,
    Info,
}

/// <summary>The side of the connection a fix is made on.</summary>
internal enum RemedySide
{
    Card,
    Client,
    Server,
}

/// <summary>A finding with a code from <see cref="ProblemCodes"/>.</summary>
internal sealed record Problem(string Code, Severity Severity, string Message);

/// <summary>A fix for a problem code, on one side of the connection.</summary>
internal sealed record Remedy(string Code, RemedySide Side, string Action);
