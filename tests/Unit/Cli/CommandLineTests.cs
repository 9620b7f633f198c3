using System.CommandLine;
using TokenService.Cli;

namespace TokenService.Tests.Unit.Cli;

/// <summary>Issue 9 §3 and §7: what a command line that fails prints, and the exit code it ends with.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task RunAsync_UnexpectedException_OneLineAndExit70()
    {
        var error = new StringWriter();
        var root = Root(new InvalidOperationException("boom\nsecond line"));

        var code = await CommandLine.RunAsync(root, "tokenservice", ["fail"], error);

        Assert.Equal(ExitCodes.Internal, code);
        Assert.Equal("tokenservice: internal error (InvalidOperationException): boom second line; please report it" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task RunAsync_CliException_ItsLineAndItsCode()
    {
        var error = new StringWriter();
        var root = Root(new CliException(ExitCodes.Unavailable, "token \u001b[31mred\u001b[0m refused"));

        var code = await CommandLine.RunAsync(root, "tokenservice", ["fail"], error);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Equal("tokenservice: token \\x1b[31mred\\x1b[0m refused" + Environment.NewLine, error.ToString());
    }

    [Theory]
    [InlineData("--pin", "SECRET123")]
    [InlineData("--pin=SECRET123")]
    [InlineData("--pin:SECRET123")]
    [InlineData("SECRET123")]
    public async Task RunAsync_UnknownOptionWithAValue_NeverEchoesTheValue(params string[] tail)
    {
        var error = new StringWriter();

        var code = await CommandLine.RunAsync(CheckRoot(), "tokenservice", ["check", .. tail], error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(error.ToString());
    }

    [Fact]
    public async Task RunAsync_UnknownOption_NamesTheOptionOnly()
    {
        var error = new StringWriter();

        await CommandLine.RunAsync(CheckRoot(), "tokenservice", ["check", "--pin=SECRET123"], error);

        Assert.StartsWith("tokenservice: unknown option '--pin' (a PIN is never taken on the command line", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ParseErrorWithControlCharacters_Escaped()
    {
        var error = new StringWriter();

        await CommandLine.RunAsync(CheckRoot(), "tokenservice", ["check", "--\u001b]0;x\u0007"], error);

        Assert.DoesNotContain('\u001b', error.ToString());
        Assert.DoesNotContain('\u0007', error.ToString());
    }

    private static RootCommand CheckRoot() => new() { Commands.Check(probeServer: null) };

    private static RootCommand Root(Exception thrown)
    {
        var command = new Command("fail");
        command.SetAction((_, _) => Task.FromException<int>(thrown));
        return new RootCommand { command };
    }
}
