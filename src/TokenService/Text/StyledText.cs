using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TokenService.Text;

/// <summary>
/// Builds what a renderer prints. Only the renderer's own literals and the palette's SGR codes go out as they
/// are; every value (a string, a number, a <see cref="Painted"/> text) passes through
/// <see cref="TerminalEscaper"/>. Interpolated strings keep renderers readable:
/// <c>text.Line($"Key \"{key.Label}\" {Badges.Verdict(key.Verdict)}")</c> escapes the label and paints the badge.
/// </summary>
internal sealed class StyledText(bool color)
{
    private const string Reset = "\u001b[0m";

    private readonly StringBuilder _text = new();

    /// <summary>Whether the palette's codes are written (a terminal that wants colour) or only the text.</summary>
    public bool Color => color;

    /// <summary>An empty builder with the same colour setting, for a piece that a line puts together.</summary>
    public StyledText Fragment() => new(color);

    /// <summary>A value, escaped.</summary>
    public StyledText Append(string? value)
    {
        _text.Append(TerminalEscaper.Escape(value));
        return this;
    }

    /// <summary>A value in an ink, escaped; the ink only when colour is on.</summary>
    public StyledText Append(Painted value)
    {
        if (color && value.Ink != Ink.None)
        {
            _text.Append(Sgr(value.Ink)).Append(TerminalEscaper.Escape(value.Text)).Append(Reset);
        }
        else
        {
            _text.Append(TerminalEscaper.Escape(value.Text));
        }

        return this;
    }

    /// <summary>A piece built by <see cref="Fragment"/>: already safe, copied as it is.</summary>
    public StyledText Append(StyledText fragment)
    {
        _text.Append(fragment._text);
        return this;
    }

    /// <summary>The literals as written, every hole escaped.</summary>
    public StyledText Append([InterpolatedStringHandlerArgument("")] ref Handler text) => this;

    public StyledText NewLine()
    {
        _text.Append('\n');
        return this;
    }

    /// <summary>One line: the literals as written, every hole escaped, then a newline.</summary>
    public StyledText Line([InterpolatedStringHandlerArgument("")] ref Handler text) => NewLine();

    /// <summary>One line holding a value, escaped.</summary>
    public StyledText Line(string? value) => Append(value).NewLine();

    /// <summary>One line in an ink.</summary>
    public StyledText Line(Painted value) => Append(value).NewLine();

    /// <summary>One line holding a piece built by <see cref="Fragment"/>.</summary>
    public StyledText Line(StyledText fragment) => Append(fragment).NewLine();

    /// <summary>An empty line.</summary>
    public StyledText Line() => NewLine();

    public override string ToString() => _text.ToString();

    /// <summary>How many characters <paramref name="value"/> takes on screen (SGR codes not counted).</summary>
    private static int VisibleLength(Painted value) => TerminalEscaper.Escape(value.Text).Length;

    private void AppendTrusted(string literal) => _text.Append(literal);

    private void Pad(int width, int alignment)
    {
        var padding = Math.Abs(alignment) - width;
        if (padding > 0)
        {
            _text.Append(' ', padding);
        }
    }

    private void AppendAligned(string escaped, int alignment)
    {
        if (alignment > 0)
        {
            Pad(escaped.Length, alignment);
        }

        _text.Append(escaped);
        if (alignment < 0)
        {
            Pad(escaped.Length, alignment);
        }
    }

    private static string Sgr(Ink ink)
    {
        var codes = new List<string>(3);
        foreach (var (flag, code) in Palette)
        {
            if (ink.HasFlag(flag))
            {
                codes.Add(code);
            }
        }

        return "\u001b[" + string.Join(';', codes) + "m";
    }

    private static readonly (Ink Ink, string Code)[] Palette =
    [
        (Ink.Bold, "1"), (Ink.Dim, "2"), (Ink.Red, "31"), (Ink.Green, "32"), (Ink.Yellow, "33"), (Ink.Cyan, "36"),
    ];

    /// <summary>Interpolated strings for <see cref="StyledText"/>: literals kept, holes escaped (C# 10 handler pattern).</summary>
    [InterpolatedStringHandler]
    internal readonly ref struct Handler
    {
        private readonly StyledText _target;

        public Handler(int literalLength, int formattedCount, StyledText target)
        {
            _ = literalLength;
            _ = formattedCount;
            _target = target;
        }

        public void AppendLiteral(string literal) => _target.AppendTrusted(literal);

        public void AppendFormatted(string? value) => _target.Append(value);

        public void AppendFormatted(string? value, int alignment) => _target.AppendAligned(TerminalEscaper.Escape(value), alignment);

        public void AppendFormatted(Painted value) => _target.Append(value);

        public void AppendFormatted(Painted value, int alignment)
        {
            var width = VisibleLength(value);
            if (alignment > 0)
            {
                _target.Pad(width, alignment);
            }

            _target.Append(value);
            if (alignment < 0)
            {
                _target.Pad(width, alignment);
            }
        }

        public void AppendFormatted(StyledText fragment) => _target.Append(fragment);

        public void AppendFormatted<T>(T value, int alignment = 0, string? format = null) =>
            _target.AppendAligned(TerminalEscaper.Escape(value is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : value?.ToString()), alignment);
    }
}
