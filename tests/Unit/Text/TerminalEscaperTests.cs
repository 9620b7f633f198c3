using TokenService.Text;
using Xunit;

namespace TokenService.Tests.Unit.Text;

public sealed class TerminalEscaperTests
{
    [Theory]
    [InlineData("\u001b[31mRED\u001b[0m", "\\x1b[31mRED\\x1b[0m")]
    [InlineData("\u001b]0;TITLE\u0007", "\\x1b]0;TITLE\\x07")]
    [InlineData("line\r\nsplit\ttab", "line\\x0d\\x0asplit\\x09tab")]
    [InlineData("nul\u0000del\u007f", "nul\\x00del\\x7f")]
    [InlineData("c1 csi \u009b31m and nel \u0085", "c1 csi \\x9b31m and nel \\x85")]
    [InlineData("bidi \u202eevil\u202c \u2066x\u2069 \u2028", "bidi \\u202eevil\\u202c \\u2066x\\u2069 \\u2028")]
    public void Escape_ControlCharacters_WrittenVisibly(string hostile, string expected)
    {
        Assert.Equal(expected, TerminalEscaper.Escape(hostile));
    }

    [Theory]
    [InlineData("one\ntwo", "one\ntwo")]
    [InlineData("crlf\r\nkept", "crlf\nkept")]
    [InlineData("bare\rCR \u001b[2J\nnext \u0007", "bare\\x0dCR \\x1b[2J\nnext \\x07")]
    [InlineData("", "")]
    public void EscapeLines_EveryLineEscapedLineFeedsKept(string hostile, string expected)
    {
        Assert.Equal(expected, TerminalEscaper.EscapeLines(hostile));
    }

    [Theory]
    [InlineData("rsa2048-full")]
    [InlineData("CN=Müller\\, Jörg,O=Ёлка 中文")]
    [InlineData("C:\\path with spaces ~!@#$%^&*()")]
    public void Escape_PrintableText_ReturnedUnchanged(string text)
    {
        Assert.Same(text, TerminalEscaper.Escape(text));
    }

    [Fact]
    public void Escape_EveryCodeUnit_LeavesNoControlCharacter()
    {
        var all = string.Create(0x10000, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)i;
            }
        });

        var escaped = TerminalEscaper.Escape(all);

        Assert.DoesNotContain(escaped, c => char.IsControl(c) || TerminalEscaper.IsUnsafe(c));
        Assert.Contains("\\x1b", escaped);
        Assert.Contains("\\x9f", escaped);
    }

    [Fact]
    public void Escape_Null_Empty()
    {
        Assert.Equal("", TerminalEscaper.Escape(null));
    }
}
