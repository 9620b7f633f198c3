using System.Globalization;
using System.Text;

namespace TokenService.Text;

/// <summary>
/// The one place where text the tool does not control (token and key labels, certificate fields, reader names,
/// a server's or a module's messages, command-line tokens) is made harmless for a terminal. A card that could put
/// ESC, BEL, CR or a C1 control on the screen could recolour or hide the verdict, retitle the terminal or split
/// an error line (ECMA-48 §5: ESC and the 8-bit CSI/OSC introducers start control sequences).
/// </summary>
/// <remarks>
/// Every C0 control (U+0000..U+001F, tab and newline included), DEL (U+007F) and every C1 control
/// (U+0080..U+009F) is written as <c>\xNN</c>; the Unicode line and paragraph separators and the bidirectional
/// formatting characters, which reorder or break what the reader sees (Unicode TR #9; CVE-2021-42574), as
/// <c>\uNNNN</c>. Everything else, including a backslash, is kept as it is: the escaped form is for reading,
/// the JSON output carries the exact value.
/// </remarks>
internal static class TerminalEscaper
{
    /// <summary>The text with every control character written out visibly; the same instance when there is none.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            AppendEscaped(escaped, text[i]);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// Text of several lines (an exception's stack trace, a report put together from lines) with every line escaped
    /// and the line breaks kept: only LF (or CR LF) separates lines; any other CR, like every other control, is
    /// written out.
    /// </summary>
    public static string EscapeLines(string? text) =>
        string.IsNullOrEmpty(text) ? text ?? "" : string.Join('\n', text.Split('\n').Select(l => Escape(l.EndsWith('\r') ? l[..^1] : l)));

    /// <summary>True when <paramref name="c"/> would be written as an escape.</summary>
    public static bool IsUnsafe(char c) => c switch
    {
        < '\u0020' or (>= '\u007f' and <= '\u009f') => true,
        '\u200e' or '\u200f' or '\u2028' or '\u2029' => true,
        >= '\u202a' and <= '\u202e' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AppendEscaped(StringBuilder escaped, char c)
    {
        if (!IsUnsafe(c))
        {
            escaped.Append(c);
        }
        else if (c <= '\u00ff')
        {
            escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
        }
        else
        {
            escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
    }
}
