using TokenService.Cli;
using Xunit;

namespace TokenService.Tests.Unit.Cli;

public sealed class ServerEndpointTests
{
    [Theory]
    [InlineData("example.org:443", "example.org", 443)]
    [InlineData("127.0.0.1:4433", "127.0.0.1", 4433)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("[fe80::1%2]:1", "fe80::1%2", 1)]
    [InlineData("localhost:65535", "localhost", 65535)]
    public void Parse_HostAndPort_SplitsThem(string text, string host, int port) =>
        Assert.Equal(new ServerEndpoint(host, port), ServerEndpoint.Parse(text, "--server"));

    [Theory]
    [InlineData("localhost", "expected HOST:PORT")]
    [InlineData(":443", "expected HOST:PORT")]
    [InlineData("host:", "expected HOST:PORT")]
    [InlineData("two words:443", "expected HOST:PORT")]
    [InlineData("::1:443", "write an IPv6 address in brackets")]
    [InlineData("[::1]443", "expected HOST:PORT")]
    [InlineData("[not-v6]:443", "expected HOST:PORT")]
    [InlineData("host:0", "the port must be 1-65535, got '0'")]
    [InlineData("host:65536", "the port must be 1-65535")]
    [InlineData("host:+443", "the port must be 1-65535")]
    [InlineData("host:https", "the port must be 1-65535")]
    public void Parse_NotHostColonPort_UsageErrorNamingTheOption(string text, string mentions)
    {
        var error = Assert.Throws<CliException>(() => ServerEndpoint.Parse(text, "--server"));

        Assert.Equal(64, error.ExitCode);
        Assert.StartsWith("--server: ", error.Message);
        Assert.Contains(mentions, error.Message);
    }
}
