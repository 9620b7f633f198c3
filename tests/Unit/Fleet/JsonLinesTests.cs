using System.Text;
using TokenService.Fleet;

namespace TokenService.Tests.Unit.Fleet;

public sealed class JsonLinesTests
{
    [Fact]
    public void Split_LfCrlfBlankAndLastLineWithoutNewline_GivesEachDocumentWithItsLineNumber()
    {
        var lines = Split("{\"a\":1}\n\r\n  \n{\"b\":2}\r\n{\"c\":3}", 1024);

        Assert.Equal([(1L, "{\"a\":1}"), (4L, "{\"b\":2}"), (5L, "{\"c\":3}")], lines.Select(l => (l.Number, Encoding.UTF8.GetString(l.Body))));
    }

    [Fact]
    public void Split_LineLongerThanTheBound_IsReportedWithoutItsBody_AndTheNextLineIsRead()
    {
        var lines = Split(new string('x', 5000) + "\n{}\n", 100);

        Assert.Equal(2, lines.Count);
        Assert.Equal((1L, true), (lines[0].Number, lines[0].TooLong));
        Assert.True(lines[0].Length > 100);
        Assert.Equal("{}", Encoding.UTF8.GetString(lines[1].Body));
    }

    [Fact]
    public void Split_LineAcrossReadBuffers_IsJoined()
    {
        var long1 = "{\"pad\":\"" + new string('a', 3 << 20) + "\"}";

        var lines = Split(long1 + "\n{}", 4 << 20);

        Assert.Equal(long1.Length, lines[0].Count);
        Assert.Equal(2, lines.Count);
    }

    private static List<JsonLine> Split(string text, int max) =>
        [.. JsonLines.Split(new MemoryStream(Encoding.UTF8.GetBytes(text)), max)];
}
