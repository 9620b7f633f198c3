namespace TokenService.Verdicts.Findings;

internal static class Severity
{
    /// <summary>Blocks the key (or token) whatever the client.</summary>
    public const string Error = "error";
    /// <summary>Limits the key: a TLS version or some clients fail.</summary>
    public const string Warning = "warning";
    public const string Info = "info";
}

/// <summary>A finding with a code from <see cref="ProblemCodes"/>.</summary>
internal sealed record Problem(string Code, string Severity, string Message);

/// <summary>A fix for a problem code, on one side of the connection.</summary>
internal sealed record Remedy(string Code, string Side, string Action);
