namespace TokenService.Cli;

/// <summary>`--token LABEL` of `check` and `handshake`.</summary>
internal static class TokenLabelOption
{
    /// <summary>
    /// Refuses an empty or blank label. CK_TOKEN_INFO.label is blank-padded (PKCS#11 v2.40 §3.2), so a blank label
    /// names exactly the tokens that have none: an uninitialized token such as SoftHSM's free slot, never one to check.
    /// </summary>
    /// <exception cref="CliException">Exit 64 (usage) for an empty or blank label.</exception>
    public static void Validate(string? label)
    {
        if (label is not null && string.IsNullOrWhiteSpace(label))
        {
            throw new CliException(ExitCodes.Usage, "--token: the label is empty: give a token's label, or leave --token out to check every token");
        }
    }
}
