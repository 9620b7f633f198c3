namespace TokenService.Locating;

/// <summary>
/// Which PC/SC reader names a bench binding accepts: the exact name ("Virtual PCD 00 00"), or a prefix ending
/// in '*' ("Virtual PCD *"; "*" alone accepts every reader). Case matters: pcscd reports names as the
/// reader's driver builds them.
/// </summary>
internal sealed record ReaderPattern(string Text)
{
    private bool IsPrefix => Text.EndsWith('*');

    public bool Matches(string reader) => IsPrefix
        ? reader.StartsWith(Text.AsSpan(0, Text.Length - 1), StringComparison.Ordinal)
        : string.Equals(reader, Text, StringComparison.Ordinal);

    /// <summary>Checks the written form; '*' may only end it.</summary>
    public static bool TryParse(string text, out ReaderPattern? pattern, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            (pattern, error) = (null, "empty reader name");
            return false;
        }

        if (text.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 && star != text.Length - 1)
        {
            (pattern, error) = (null, $"'{text}': '*' may only end the name (a prefix)");
            return false;
        }

        (pattern, error) = (new ReaderPattern(text), null);
        return true;
    }
}
