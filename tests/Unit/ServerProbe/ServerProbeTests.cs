using TokenService.ServerProbe;
using Xunit;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Tests.Unit.ServerProbe;

/// <summary>What the probe decides before touching the network.</summary>
public sealed class ServerProbeTests
{
    [Theory]
    [InlineData("", 443)]
    [InlineData("  ", 443)]
    [InlineData("127.0.0.1", 0)]
    [InlineData("127.0.0.1", -1)]
    [InlineData("127.0.0.1", 65536)]
    public async Task ProbeAsync_BadHostOrPort_ThrowsArgumentException(string host, int port) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Probe.ProbeAsync(host, port, TimeSpan.FromSeconds(1), CancellationToken.None));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ProbeAsync_TimeoutNotPositive_ThrowsArgumentOutOfRange(int milliseconds) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Probe.ProbeAsync("127.0.0.1", 443, TimeSpan.FromMilliseconds(milliseconds), CancellationToken.None));

    [Theory]
    [InlineData("127.0.0.1", 4433, "127.0.0.1:4433")]
    [InlineData("server.example.test", 443, "server.example.test:443")]
    [InlineData("::1", 8443, "[::1]:8443")]
    [InlineData("2001:db8::1", 443, "[2001:db8::1]:443")]
    public void FormatEndpoint_HostAndPort_HostPortWithIpv6InBrackets(string host, int port, string expected) =>
        Assert.Equal(expected, Probe.FormatEndpoint(host, port));

    [Theory]
    [InlineData("server.example.test", "server.example.test")]
    [InlineData("Server.Example.Test.", "Server.Example.Test")]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("bücher.example", null)]
    [InlineData(".", null)]
    public void ServerNameFor_Host_DnsNamesOnlyWithoutTrailingDot(string host, string? expected) =>
        Assert.Equal(expected, CertificateRequestProbeClient.ServerNameFor(host));
}
