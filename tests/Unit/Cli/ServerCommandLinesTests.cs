using TokenService.Cli;

namespace TokenService.Tests.Unit.Cli;

/// <summary>
/// `tokenservice` hands a command line to tokenservice-server by its first word (Commands.ServerCommandLines): each
/// of those words must be a command of the server, and each server command but `check` one of those words, shown or
/// hidden alike in both programs' help.
/// </summary>
public sealed class ServerCommandLinesTests
{
    [Fact]
    public void ServerCommandLines_NameExactlyTheServersCommands_HiddenAlike()
    {
        var forwarded = Commands.ServerCommandLines.Select(line => (line.Name, line.Hidden)).OrderBy(c => c.Name, StringComparer.Ordinal);
        var server = ServerCommands.All().Select(command => (command.Name, command.Hidden)).OrderBy(c => c.Name, StringComparer.Ordinal);

        Assert.Equal(server, forwarded);
    }
}
