using TokenService.Cli;
using Xunit;

namespace TokenService.Tests.Unit.Cli;

public sealed class HandshakeCommandTests
{
    [Theory]
    [InlineData("127.0.0.1:4433", "127.0.0.1", 4433)]
    [InlineData("server.example:443", "server.example", 443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    public void ParseEndpoint_HostAndPort_Splits(string endpoint, string host, int port) =>
        Assert.Equal((host, port), HandshakeCommand.ParseEndpoint(endpoint));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData(":443")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:https")]
    [InlineData("::1:443")]
    public void ParseEndpoint_Malformed_IsAUsageError(string endpoint)
    {
        var e = Assert.Throws<CliException>(() => HandshakeCommand.ParseEndpoint(endpoint));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }
}
