using System.Net;
using TokenService.Api;

namespace TokenService.Tests.Unit.Api;

/// <summary>
/// The page on a service with an API key, through the real Kestrel pipeline (<see cref="ApiServer"/>): the page's
/// files load without the key, the key posted once gives an HttpOnly SameSite=Strict session cookie for /api only,
/// that cookie opens GET /api/* and the event stream, and nothing else does.
/// </summary>
public sealed class PageSessionHttpTests
{
    private const string Key = "test-api-key-0123456789";
    private static readonly Dictionary<string, string?> WithKey = new() { ["ApiKey"] = Key };

    [Theory]
    [InlineData("/")]
    [InlineData("/page/page.js")]
    [InlineData("/page/page.css")]
    public async Task GetPageFiles_WithAKeyConfigured_AreServedWithoutIt(string path)
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithTheKey_SetsAnHttpOnlySameSiteStrictApiOnlyCookie()
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);

        using var response = await SignInAsync(client, Key);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(PageSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, cookie, StringComparison.Ordinal);
        foreach (var attribute in (string[])["httponly", "samesite=strict", "path=/api"])
        {
            Assert.Contains(attribute, cookie.ToLowerInvariant().Split("; "));
        }

        Assert.DoesNotContain("secure", cookie.ToLowerInvariant().Split("; ")); // plain HTTP on loopback here
    }

    [Fact]
    public async Task SessionCookie_OpensTheApiAndTheEventStream_ButNotMetrics()
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);
        using var before = await client.GetAsync("/api/readers");

        using var signIn = await SignInAsync(client, Key);
        using var readers = await client.GetAsync("/api/readers");
        using var events = await client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readers.StatusCode);
        Assert.Contains(ApiServer.Reader, await readers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode); // the cookie is for the page's API only
    }

    [Theory]
    [InlineData("")]
    [InlineData("test-api-key-0123456788")]
    [InlineData("test-api-key-01234567890")]
    public async Task SignIn_WithAWrongKey_Is401_AndSetsNoCookie(string given)
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);

        using var response = await SignInAsync(client, given);
        using var readers = await client.GetAsync("/api/readers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, readers.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutThePagesHeader_Is403_SoNoOtherSiteCanSignABrowserIn()
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);

        using var response = await client.PostAsync("/api/session", new FormUrlEncodedContent([new(SessionEndpoints.KeyField, Key)]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ForgedOrSignedOutCookie_Is401()
    {
        await using var server = await ApiServer.StartAsync(WithKey);
        using var client = Client(server);
        using var signIn = await SignInAsync(client, Key);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var byHand = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };

        using var signedIn = await SendAsync(byHand, HttpMethod.Get, "/api/readers", cookie);
        using var forged = await SendAsync(byHand, HttpMethod.Get, "/api/readers", $"{PageSessions.CookieName}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        using var signOut = await SendAsync(byHand, HttpMethod.Delete, "/api/session", cookie);
        using var afterSignOut = await SendAsync(byHand, HttpMethod.Get, "/api/readers", cookie);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode); // the old cookie, sent again on purpose
    }

    [Fact]
    public async Task SessionEndpoint_WithoutAKeyConfigured_DoesNotExist()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = Client(server);

        using var response = await SignInAsync(client, Key);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A client that keeps cookies, as a browser does.</summary>
    private static HttpClient Client(ApiServer server) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/session")
        {
            Content = new FormUrlEncodedContent([new(SessionEndpoints.KeyField, key)]),
        };
        request.Headers.Add(CrossSiteRequests.Header, CrossSiteRequests.HeaderValue);
        return client.SendAsync(request);
    }

    /// <summary>A request with <paramref name="cookie"/> set by hand (a cookie jar would forget a cookie the service expired).</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(CrossSiteRequests.Header, CrossSiteRequests.HeaderValue);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
