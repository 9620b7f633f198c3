using System.CommandLine;
using TokenService.Cli;

namespace TokenService.Tests.Unit.Cli;

/// <summary>`--format` is parsed once, by System.CommandLine, for every command that prints a report.</summary>
public sealed class OutputFormatOptionTests
{
    public static TheoryData<string> Commands_ => ["check", "probe-server", "handshake", "profiles", "identify", "cards"];

    private static Command Named(string name) => name switch
    {
        "check" => Commands.Check(probeServer: null),
        "probe-server" => ServerCommands.ProbeServer(),
        "handshake" => ServerCommands.Handshake(),
        "profiles" => Commands.Profiles(),
        "identify" => ServerCommands.Identify(),
        "cards" => ServerCommands.Cards(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such command"),
    };

    [Theory]
    [MemberData(nameof(Commands_))]
    public void Parse_FormatXml_OneUsageErrorNamingTheOption(string command)
    {
        var parsed = Named(command).Parse(["--format", "xml"]);

        Assert.Contains(parsed.Errors, e => e.Message == "--format: expected table or json, got 'xml'");
    }

    [Theory]
    [InlineData("json", 1)]
    [InlineData("table", 0)]
    public void Parse_KnownFormat_TypedValue(string text, int expectedValue)
    {
        var expected = (OutputFormat)expectedValue;
        var option = OutputFormatOption.Create();
        var parsed = new RootCommand { option }.Parse(["--format", text]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(expected, parsed.GetValue(option));
    }

    [Fact]
    public void Parse_NoFormat_Table()
    {
        var option = OutputFormatOption.Create();

        Assert.Equal(OutputFormat.Table, new RootCommand { option }.Parse([]).GetValue(option));
    }
}
