namespace TokenService.Text;

/// <summary>The palette every text renderer paints with: SGR attributes (ECMA-48 §8.3.117), combinable.</summary>
[Flags]
internal enum Ink
{
    None = 0,
    Bold = 1,
    Dim = 2,
    Red = 4,
    Green = 8,
    Yellow = 16,
    Cyan = 32,
}

/// <summary>Text to be shown in an ink; the text is escaped like any other (<see cref="TerminalEscaper"/>).</summary>
internal readonly record struct Painted(Ink Ink, string Text);
