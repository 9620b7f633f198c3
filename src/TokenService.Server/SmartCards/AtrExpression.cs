using System.Text.RegularExpressions;

namespace TokenService.SmartCards;

/// <summary>
/// One ATR pattern in pcsc-tools' syntax: hex bytes separated by blanks, where regular-expression parts stand
/// for what varies (`..` any byte, `8.` any low nibble). pcsc-tools' ATR_analysis matches each pattern against the
/// ATR written as uppercase spaced hex, anchored at both ends and ignoring case; so does this. Patterns without
/// regular-expression parts (most of them) are compared as strings.
/// </summary>
internal sealed class AtrExpression
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;

    private AtrExpression(string text, Regex? regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    /// <summary>Null when the pattern is not a valid regular expression (pcsc-tools' Perl would fail on it too).</summary>
    public static AtrExpression? TryCreate(string text)
    {
        var pattern = text.Trim();
        if (pattern.Length == 0)
        {
            return null;
        }

        if (pattern.All(c => char.IsAsciiHexDigit(c) || c == ' '))
        {
            return new AtrExpression(pattern, null);
        }

        try
        {
            return new AtrExpression(pattern, new Regex($"^(?:{pattern})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <param name="spacedAtr">The ATR as <see cref="Atr.Spaced"/> writes it.</param>
    public bool Matches(string spacedAtr)
    {
        if (_regex is null)
        {
            return string.Equals(Text, spacedAtr, StringComparison.OrdinalIgnoreCase);
        }

        try
        {
            return _regex.IsMatch(spacedAtr);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
