using TokenService.Text;
using Xunit;

namespace TokenService.Tests.Unit.Text;

public sealed class StyledTextTests
{
    private const string Hostile = "k\u001b[8mHIDDEN\u001b[0m\u0007";

    [Fact]
    public void Line_InterpolatedHoles_EscapedLiteralsKept()
    {
        var text = new StyledText(color: false);

        text.Line($"Key \"{Hostile}\" id {42}");

        Assert.Equal("Key \"k\\x1b[8mHIDDEN\\x1b[0m\\x07\" id 42\n", text.ToString());
    }

    [Fact]
    public void Append_PaintedWithColour_OnlyThePalettesCodesAreRaw()
    {
        var text = new StyledText(color: true);

        text.Append($"{new Painted(Ink.Red | Ink.Bold, Hostile)}");

        Assert.Equal("\u001b[1;31mk\\x1b[8mHIDDEN\\x1b[0m\\x07\u001b[0m", text.ToString());
    }

    [Fact]
    public void Append_PaintedWithoutColour_TextOnly()
    {
        var text = new StyledText(color: false);

        text.Append(new Painted(Ink.Green, "yes"));

        Assert.Equal("yes", text.ToString());
    }

    [Fact]
    public void Append_StringWithControlCharacters_Escaped()
    {
        var text = new StyledText(color: true);

        text.Append("a\nb");

        Assert.Equal("a\\x0ab", text.ToString());
    }

    [Fact]
    public void Line_Alignment_PadsByVisibleWidthOfPaintedText()
    {
        var text = new StyledText(color: true);

        text.Append($"[{new Painted(Ink.Green, "ok"),-4}][{"ab",3}]");

        Assert.Equal("[\u001b[32mok\u001b[0m  ][ ab]", text.ToString());
    }

    [Fact]
    public void Append_Fragment_CopiedWithoutEscapingItsCodes()
    {
        var text = new StyledText(color: true);
        var piece = text.Fragment().Append(new Painted(Ink.Dim, "x"));

        text.Line($"[{piece}]");

        Assert.Equal("[\u001b[2mx\u001b[0m]\n", text.ToString());
    }
}
