using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Api;
using TokenService.Tests.Unit.Infrastructure;

namespace TokenService.Tests.Unit.Api;

/// <summary>
/// The serve API on a real Kestrel, asked as a hostile web page and careless callers would ask it (issue 9 items
/// 5, 6 and 7): foreign Host names (DNS rebinding), cross-site POSTs, wrong API keys, and HTTPS.
/// </summary>
public sealed class RequestGuardTests
{
    private const string Key = "test-api-key-0123456789";

    [Theory]
    [InlineData("evil.example:{port}", HttpStatusCode.BadRequest)]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost.evil.example:{port}", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.nip.io:{port}", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1:{other}", HttpStatusCode.BadRequest)]
    [InlineData("localhost:{other}", HttpStatusCode.BadRequest)]
    [InlineData("10.1.2.3:{port}", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1:{port}", HttpStatusCode.OK)]
    [InlineData("localhost:{port}", HttpStatusCode.OK)]
    [InlineData("LocalHost:{port}", HttpStatusCode.OK)]
    [InlineData("[::1]:{port}", HttpStatusCode.OK)]
    public async Task Get_WithAForeignHostHeader_Is400_WithALoopbackName_IsAnswered(string host, HttpStatusCode expected)
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await SendAsync(server, HttpMethod.Get, "api/readers", ("Host", Host(host, server)));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, (await response.Content.ReadAsStringAsync()).Contains(ApiServer.Reader, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bench-07.example.org:{port}", HttpStatusCode.OK)]
    [InlineData("BENCH-07.example.org.:{port}", HttpStatusCode.OK)]
    [InlineData("bench-08.example.org:{port}", HttpStatusCode.BadRequest)]
    [InlineData("bench-07.example.org:{other}", HttpStatusCode.BadRequest)]
    public async Task Get_WithAConfiguredAllowedHost_IsAnsweredOnItsPortOnly(string host, HttpStatusCode expected)
    {
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["AllowedHosts:0"] = "bench-07.example.org" });

        using var response = await SendAsync(server, HttpMethod.Get, "api/readers", ("Host", Host(host, server)));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1:{other}")]
    [InlineData("Origin", "https://127.0.0.1:{port}")]
    public async Task PostCheck_CrossSite_Is403_AndProbesNothing(string header, string value)
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await SendAsync(server, HttpMethod.Post, "api/check?reader=" + Uri.EscapeDataString(ApiServer.Reader),
            (CrossSiteRequests.Header, CrossSiteRequests.HeaderValue), (header, Host(value, server)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("cross-", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostCheck_WithoutTheCustomHeader_Is403NamingIt()
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await SendAsync(server, HttpMethod.Post, "api/check?reader=" + Uri.EscapeDataString(ApiServer.Reader));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(CrossSiteRequests.Header, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("same-origin", "http://127.0.0.1:{port}")]
    [InlineData("none", null)]
    [InlineData(null, "http://localhost:{port}")]
    public async Task PostCheck_SameOriginWithTheCustomHeader_IsAccepted(string? site, string? origin)
    {
        await using var server = await ApiServer.StartAsync();
        List<(string, string)> headers = [(CrossSiteRequests.Header, CrossSiteRequests.HeaderValue)];
        if (site is not null)
        {
            headers.Add(("Sec-Fetch-Site", site));
        }

        if (origin is not null)
        {
            headers.Add(("Origin", Host(origin, server)));
            headers.Add(("Host", Host(new Uri(Host(origin, server)).Authority, server)));
        }

        using var response = await SendAsync(server, HttpMethod.Post, "api/check?reader=" + Uri.EscapeDataString(ApiServer.Reader), [.. headers]);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Get_CrossSite_IsAnswered_GetsChangeNothing()
    {
        await using var server = await ApiServer.StartAsync();

        using var response = await SendAsync(server, HttpMethod.Get, "api/history", ("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-api-key-0123456788")] // same length, last character wrong
    [InlineData("test-api-key-012345678")] // a prefix
    [InlineData("test-api-key-01234567890")] // one character more
    [InlineData("t")]
    [InlineData("test-api-key-0123456789test-api-key-0123456789test-api-key-0123456789")]
    [InlineData("TEST-API-KEY-0123456789")]
    public async Task Get_WithAWrongShortOrLongApiKey_Is401(string? given)
    {
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["ApiKey"] = Key });

        using var response = await SendAsync(server, HttpMethod.Get, "api/readers", given is null ? [] : [(ApiKey.Header, given)]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ApiKey.Header, Key)]
    [InlineData("Authorization", "Bearer " + Key)]
    public async Task Get_WithTheApiKey_IsAnswered(string header, string value)
    {
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["ApiKey"] = Key });

        using var response = await SendAsync(server, HttpMethod.Get, "api/readers", (header, value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_OverHttps_WithAConfiguredPemCertificate_IsAnsweredWithThatCertificate()
    {
        using var folder = new TempDirectory();
        using var certificate = SelfSigned("CN=127.0.0.1");
        var certificateFile = folder.Write("serve.crt", certificate.ExportCertificatePem());
        var keyFile = folder.Write("serve.key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["CertificateFile"] = certificateFile, ["KeyFile"] = keyFile });
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData);
                return cert?.RawData.AsSpan().SequenceEqual(certificate.RawData) == true;
            },
        };
        using var client = new HttpClient(handler);

        using var response = await client.GetAsync(new Uri(server.BaseAddress, "api/readers"));
        using var plain = new HttpClient();
        var plainRequest = plain.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/api/readers"));

        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(certificate.Thumbprint, presented?.Thumbprint);
        await Assert.ThrowsAsync<HttpRequestException>(() => plainRequest); // no plain HTTP beside it
        presented?.Dispose();
    }

    [Fact]
    public void Validate_CertificateWithAnotherCertificatesKey_FailsNamingTheFiles()
    {
        using var folder = new TempDirectory();
        using var certificate = SelfSigned("CN=one");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificateFile = folder.Write("serve.crt", certificate.ExportCertificatePem());
        var keyFile = folder.Write("other.key", other.ExportPkcs8PrivateKeyPem());

        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { CertificateFile = certificateFile, KeyFile = keyFile });

        Assert.True(result.Failed);
        Assert.Contains("serve.crt", result.FailureMessage);
    }

    [Theory]
    [InlineData("/no/such/serve.crt", null)]
    [InlineData(null, "/no/such/serve.key")]
    public void Validate_MissingCertificateFiles_Fail(string? certificateFile, string? keyFile)
    {
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { CertificateFile = certificateFile, KeyFile = keyFile });

        Assert.True(result.Failed);
        Assert.Contains(certificateFile is null ? "KeyFile" : certificateFile, result.FailureMessage);
    }

    [Theory]
    [InlineData("*.example.org")]
    [InlineData("bench:5077")]
    [InlineData("")]
    [InlineData("[bench]")]
    [InlineData("http://bench")]
    public void Validate_AllowedHostThatIsNoHostName_Fails(string host)
    {
        var result = new ServeOptionsValidator().Validate(null, new ServeOptions { AllowedHosts = [host] });

        Assert.True(result.Failed);
        Assert.Contains("AllowedHosts", result.FailureMessage);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    /// <summary><paramref name="text"/> with {port} the server's port and {other} another one.</summary>
    private static string Host(string text, ApiServer server) =>
        text.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", (server.Port == 65535 ? 1024 : server.Port + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> SendAsync(ApiServer server, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(server.BaseAddress, path));
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await client.SendAsync(request);
    }
}
