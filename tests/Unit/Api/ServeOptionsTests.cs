using TokenService.Api;
using Xunit;

namespace TokenService.Tests.Unit.Api;

public sealed class ServeOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:5077", "127.0.0.1", 5077, true)]
    [InlineData("127.8.9.10:80", "127.8.9.10", 80, true)]
    [InlineData("localhost:5077", "localhost", 5077, true)]
    [InlineData("[::1]:5077", "[::1]", 5077, true)]
    [InlineData("0.0.0.0:5077", "0.0.0.0", 5077, false)]
    [InlineData("*:8080", "*", 8080, false)]
    [InlineData("192.0.2.7:443", "192.0.2.7", 443, false)]
    [InlineData("[2001:db8::1]:5077", "[2001:db8::1]", 5077, false)]
    public void ListenAddress_TryParse_HostPort_ParsesAndKnowsLoopback(string text, string host, int port, bool loopback)
    {
        Assert.True(ListenAddress.TryParse(text, out var address));
        Assert.Equal((host, port, loopback), (address.Host, address.Port, address.IsLoopback));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5077")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:http")]
    [InlineData("example.org:5077")]
    [InlineData("::1:5077")]
    [InlineData("[127.0.0.1]:5077")]
    public void ListenAddress_TryParse_NotHostPort_IsRefused(string text) =>
        Assert.False(ListenAddress.TryParse(text, out _));

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NonLoopbackWithoutApiKey_FailsNamingTheVariable()
    {
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { Listen = "0.0.0.0:5077" });

        Assert.True(result.Failed);
        Assert.Contains("needs an API key", result.FailureMessage);
        Assert.Contains("TOKENSERVICE__SERVE__APIKEY", result.FailureMessage);
    }

    [Theory]
    [InlineData("0.0.0.0:5077", "a-long-enough-api-key", true)]
    [InlineData("127.0.0.1:5077", "a-long-enough-api-key", true)]
    [InlineData("0.0.0.0:5077", "short", false)]
    [InlineData("127.0.0.1:5077", "short", false)]
    [InlineData("somewhere:5077", "a-long-enough-api-key", false)]
    public void Validate_ListenAndApiKey(string listen, string apiKey, bool valid)
    {
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { Listen = listen, ApiKey = apiKey });

        Assert.Equal(valid, result.Succeeded);
    }
}
