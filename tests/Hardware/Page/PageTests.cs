using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Hosting;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using TokenService.Tests.Hardware.Worker;
using Xunit;
using Xunit.Abstractions;
using static TokenService.Tests.Hardware.Worker.WatcherBench;

namespace TokenService.Tests.Hardware.Page;

/// <summary>
/// The technician's page of `serve` in a real Chromium: verdicts appear and go live over the event stream (no
/// reload), pcscd lost and back shows, the card report prints on one page and downloads as the check document,
/// and the page keeps to its Content-Security-Policy. Screenshots and the PDF go to .tokenservice/test-results/page.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed partial class PageTests(PcscdFixture pcscd, ProfilesFixture profiles, ITestOutputHelper output)
    : IClassFixture<ProfilesFixture>, IAsyncLifetime
{
    /// <summary>From the API having a state to the page showing it.</summary>
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private static readonly string Artifacts = Repo.Path(".tokenservice", "test-results", "page");

    private readonly ImmutableArray<byte> _compatibleCard = UniqueAtr();
    private readonly ImmutableArray<byte> _tls12Card = UniqueAtr();
    private readonly ImmutableArray<byte> _brokenCard = UniqueAtr();
    private readonly ImmutableArray<byte> _unboundCard = UniqueAtr();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string Bindings => Path.Combine(profiles.Directory, "page-bindings.json");

    public async Task InitializeAsync()
    {
        await WatcherBench.PrepareAsync(pcscd, profiles);
        await File.WriteAllTextAsync(Bindings, PageBindings());
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Page_InChromium_ShowsEachReadersStateLive_ThroughInsertionRemovalAndPcscdRestart_AndPrintsTheCardReport()
    {
        await using var serve = ServeProcess.Start(["--bindings", Bindings], new Dictionary<string, string> { ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false" });
        try
        {
            await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
            await WaitForApiAsync(serve, r => r.Count == 2, "both virtual readers");
            await AssertPageFilesAsync(serve);

            await using var browser = await Chromium.StartAsync();
            var page = await BrowserPage.OpenAsync(browser);
            await page.NavigateAsync(serve.BaseAddress);
            await page.WaitForAsync("document.querySelector('#service').dataset.service === 'ok' && document.querySelectorAll('article.reader').Length === 2".Replace("Length", "length", StringComparison.Ordinal), Startup, "both readers, connected");
            await page.EvaluateAsync("window.loadedOnce = 'yes'"); // gone if anything reloads the page

            // Insertion: the verdict appears in the reader's panel within a second of the API having it.
            await using var compatible = await VirtualCard.InsertAsync(VirtualReader.First, _compatibleCard, CardEvent);
            var first = await WaitForApiReaderAsync(serve, First, r => r.State == ReaderStateNames.Verdict && r.Atr == Hex(_compatibleCard), Verdict, "a verdict for the compatible card");
            var shown = await page.WaitForAsync(Panel(First, $"p.dataset.state === 'verdict' && p.querySelector('.headline').textContent.includes('Compatible') && p.textContent.includes({Js(Hex(_compatibleCard))})"), Live, "the verdict in reader 00's panel");
            output.WriteLine($"verdict shown {shown.TotalMilliseconds:F0} ms after the API had it");
            await AssertVerdictPanelAsync(page, First, first.Report!, "\u2714", "tone-ok");

            await using (var tls12 = await VirtualCard.InsertAsync(VirtualReader.Second, _tls12Card, CardEvent))
            {
                var second = await WaitForApiReaderAsync(serve, Second, r => r.State == ReaderStateNames.Verdict && r.Atr == Hex(_tls12Card), Verdict, "a verdict for the TLS 1.2 card");
                await page.WaitForAsync(Panel(Second, "p.dataset.state === 'verdict' && p.querySelector('.headline').textContent.includes('Depends on the client')"), Live, "client-dependent in reader 01's panel");
                await AssertVerdictPanelAsync(page, Second, second.Report!, "\u25C6", "tone-warn");

                // Keyboard: the per-client table opens from its summary with Enter.
                await page.EvaluateAsync(Panel(Second, "p.querySelector('details > summary').focus()"));
                await page.PressAsync("Enter", "Enter", 13);
                await page.WaitForAsync(Panel(Second, "p.querySelector('details').open && p.querySelector('details table tbody tr') !== null"), Live, "the clients table opened with Enter");
                await page.ScreenshotAsync(Path.Combine(Artifacts, "page-verdicts.png"));

                await CheckCardReportAsync(page, browser, first);
            }

            // The other states look distinct: a module that has no such token, a card no binding names, no card.
            await WaitForApiReaderAsync(serve, Second, r => r.State == ReaderStateNames.Empty, CardEvent, "reader 01 empty");
            await using (var broken = await VirtualCard.InsertAsync(VirtualReader.Second, _brokenCard, CardEvent))
            {
                await WaitForApiReaderAsync(serve, Second, r => r.State == ReaderStateNames.ModuleFailed, Verdict, "module-failed in reader 01");
                await page.WaitForAsync(Panel(Second, "p.dataset.state === 'module-failed' && p.querySelector('.headline').textContent.includes('Module failed')"), Live, "module failed in reader 01's panel");
            }

            // Removed means seen removed: a card inserted before pcscd's next poll of vpcd would stand for the
            // broken one, which pcscd would then keep showing (it reads an ATR only when it sees a card arrive).
            await WaitForApiReaderAsync(serve, Second, r => r.State == ReaderStateNames.Empty, CardEvent, "reader 01 empty after the broken card");
            await using (var unbound = await VirtualCard.InsertAsync(VirtualReader.Second, _unboundCard, CardEvent))
            {
                await WaitForApiReaderAsync(serve, Second, r => r.State == ReaderStateNames.NoBinding && r.Atr == Hex(_unboundCard), Verdict, "no-binding in reader 01");
                await page.WaitForAsync(Panel(Second, "p.dataset.state === 'no-binding' && p.querySelector('.headline').textContent.includes('No binding')"), Live, "no binding in reader 01's panel");
                var looks = await page.TextAsync("[...document.querySelectorAll('article.reader .headline')].map(h => h.className + '|' + h.querySelector('.icon').textContent + '|' + h.querySelector('.word').textContent).join('\\n')");
                output.WriteLine(looks);
                Assert.Equal(2, looks.Split('\n').Distinct().Count()); // verdict and no-binding: class, icon and word all differ
                await page.ScreenshotAsync(Path.Combine(Artifacts, "page-no-binding.png"));
            }

            // Removal: the verdict goes within a second.
            await compatible.DisposeAsync();
            await WaitForApiReaderAsync(serve, First, r => r.State == ReaderStateNames.Empty, CardEvent, "reader 00 empty");
            await page.WaitForAsync(Panel(First, "p.dataset.state === 'empty' && p.querySelector('.headline').textContent.includes('No card') && !p.textContent.includes('Compatible')"), Live, "the verdict gone from reader 00's panel");

            // 200 % zoom: half the CSS width at twice the pixel density; the page reflows, nothing scrolls sideways.
            await page.ViewportAsync(640, 900, 2);
            await page.WaitForAsync("document.documentElement.scrollWidth <= window.innerWidth", Live, "no horizontal scrolling at 200 % zoom");
            await page.ScreenshotAsync(Path.Combine(Artifacts, "page-zoom-200.png"));
            await page.ViewportAsync(1280, 900, 1);

            // pcscd restart: lost, then restored, on the same page.
            await pcscd.StopPcscdAsync();
            await page.WaitForAsync("document.querySelector('#service').dataset.service === 'lost' && document.querySelector('#service').textContent.includes('pcscd unreachable')", CardEvent, "pcscd lost");
            await page.ScreenshotAsync(Path.Combine(Artifacts, "page-pcscd-lost.png"));
            await pcscd.StartPcscdAsync();
            await page.WaitForAsync("document.querySelector('#service').dataset.service === 'ok' && document.querySelectorAll('article.reader[data-state=\"empty\"]').length === 2", Startup, "pcscd restored with both readers");

            Assert.Equal("yes", await page.TextAsync("window.loadedOnce")); // never reloaded
            Assert.Empty(page.Problems); // no script error, no CSP violation
            Assert.Equal(0, await serve.StopAsync());
        }
        finally
        {
            output.WriteLine("serve stderr:\n" + serve.Stderr);
        }
    }

    /// <summary>
    /// With an API key the page asks for it once (README "The page with an API key"): a wrong key is refused on the
    /// form, the right one gives an HttpOnly session cookie (no script sees it), and the page then follows the
    /// readers live over the event stream, which the browser opens with that cookie alone. The key never shows in
    /// the page's address or in serve's output.
    /// </summary>
    [Fact]
    public async Task Page_WithAnApiKey_InChromium_SignsInOnce_ThenShowsVerdictsLive()
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _http.DefaultRequestHeaders.Add("X-Api-Key", key);
        await using var serve = ServeProcess.Start(["--bindings", Bindings], new Dictionary<string, string>
        {
            ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false",
            ["TOKENSERVICE__SERVE__APIKEY"] = key,
        });
        try
        {
            await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
            await WaitForApiAsync(serve, r => r.Count == 2, "both virtual readers");

            await using var browser = await Chromium.StartAsync();
            var page = await BrowserPage.OpenAsync(browser);
            await page.NavigateAsync(serve.BaseAddress);
            await page.WaitForAsync("!document.querySelector('#sign-in').hidden && document.activeElement === document.querySelector('#api-key')", Startup, "the sign-in form, focused");

            await page.EvaluateAsync($"document.querySelector('#api-key').value = {Js("not-" + key)}; document.querySelector('#sign-in').requestSubmit()");
            await page.WaitForAsync("document.querySelector('#sign-in-error').textContent.includes('not the key')", Live, "a wrong key refused on the form");

            await page.EvaluateAsync($"document.querySelector('#api-key').value = {Js(key)}; document.querySelector('#sign-in').requestSubmit()");
            await page.WaitForAsync("document.querySelector('#sign-in').hidden && document.querySelector('#service').dataset.service === 'ok' && document.querySelectorAll('article.reader').length === 2", Startup, "signed in: both readers, connected");
            Assert.DoesNotContain("tokenservice-session", await page.TextAsync("document.cookie")); // HttpOnly
            Assert.Equal("", await page.TextAsync("document.querySelector('#api-key').value"));
            Assert.DoesNotContain(key, await page.TextAsync("location.href"));

            await using var compatible = await VirtualCard.InsertAsync(VirtualReader.First, _compatibleCard, CardEvent);
            await WaitForApiReaderAsync(serve, First, r => r.State == ReaderStateNames.Verdict && r.Atr == Hex(_compatibleCard), Verdict, "a verdict for the compatible card");
            await page.WaitForAsync(Panel(First, "p.dataset.state === 'verdict' && p.querySelector('.headline').textContent.includes('Compatible')"), Live, "the verdict in reader 00's panel, over the event stream");
            await page.ScreenshotAsync(Path.Combine(Artifacts, "page-signed-in.png"));

            // The browser reports the two refusals (the first /api/status and the wrong key) as failed loads; nothing else.
            Assert.All(page.Problems, p => Assert.Contains("401", p));
            Assert.Equal(0, await serve.StopAsync());
            Assert.DoesNotContain(key, serve.Stdout + serve.Stderr);
        }
        finally
        {
            output.WriteLine("serve stderr:\n" + serve.Stderr);
        }
    }

    /// <summary>The card report view of reader 00: content, one printed page, and the JSON download (the check document).</summary>
    private async Task CheckCardReportAsync(BrowserPage page, Chromium browser, ReaderStateEntry reader)
    {
        var report = reader.Report!;
        var token = Assert.Single(report.Tokens);
        var key = token.Keys[0];
        await page.EvaluateAsync(Panel(First, "p.querySelector('[data-action=report]').focus()"));
        await page.PressAsync("Enter", "Enter", 13);
        await page.WaitForAsync("!document.querySelector('#report').hidden && document.querySelector('#live').offsetParent === null", Live, "the card report view");
        var text = await page.TextAsync("document.querySelector('#report').innerText");
        foreach (var expected in (string[])["Card report", First, Hex(_compatibleCard), token.Label, token.SerialNumber, report.Module.Path, "Compatible", key.Certificate!.Subject, "TLS 1.3:", "TLS 1.2:"])
        {
            Assert.Contains(expected, text);
        }

        var rows = (await page.EvaluateAsync("document.querySelectorAll('#report h3 + p + div table tbody tr').length"))!.GetValue<int>();
        Assert.Equal(key.Clients.Count, rows);
        await page.ScreenshotAsync(Path.Combine(Artifacts, "page-report.png"));

        var pdf = await page.PrintToPdfAsync();
        await File.WriteAllBytesAsync(Path.Combine(Artifacts, "card-report.pdf"), pdf);
        Assert.Equal(1, PdfPages().Count(System.Text.Encoding.Latin1.GetString(pdf)));

        var downloads = Directory.CreateTempSubdirectory("tokenservice-download-").FullName;
        try
        {
            await browser.CallAsync("Browser.setDownloadBehavior", new JsonObject { ["behavior"] = "allow", ["downloadPath"] = downloads });
            await page.EvaluateAsync("document.querySelector('#report [data-action=download]').click()");
            var clock = Stopwatch.StartNew();
            string[] files;
            while ((files = Directory.GetFiles(downloads, "*.json")).Length == 0)
            {
                Assert.True(clock.Elapsed < CardEvent, "no JSON download within " + CardEvent);
                await Task.Delay(50);
            }

            await Task.Delay(200); // the file is renamed to .json once written
            var downloaded = JsonSerializer.Deserialize(await File.ReadAllTextAsync(files[0]), ContractsJsonContext.Default.TokenReport)!;
            Assert.Equal(JsonSerializer.Serialize(report, ContractsJsonContext.Default.TokenReport), JsonSerializer.Serialize(downloaded, ContractsJsonContext.Default.TokenReport));
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }

        await page.EvaluateAsync("document.querySelector('#report [data-action=back]').click()");
        await page.WaitForAsync("document.querySelector('#report').hidden && document.querySelectorAll('article.reader').length === 2", Live, "back to the readers");
    }

    /// <summary>The panel shows the token's verdict with its icon and tone, the cause, every fix of the deciding key, and each key.</summary>
    private static async Task AssertVerdictPanelAsync(BrowserPage page, string reader, TokenReport report, string icon, string tone)
    {
        var token = Assert.Single(report.Tokens);
        var headline = await page.TextAsync(Panel(reader, "p.querySelector('.headline').className + '|' + p.querySelector('.headline .icon').textContent"));
        Assert.Contains(tone, headline);
        Assert.EndsWith("|" + icon, headline);
        var deciding = token.Keys.First(k => k.Verdict == token.Verdict);
        var fixes = await page.TextAsync(Panel(reader, "[...p.querySelectorAll('.fixes dd')].map(d => d.dataset.side + ':' + d.textContent).join('\\n')"));
        foreach (var fix in deciding.Remediation)
        {
            Assert.Contains($"{fix.Side}:{fix.Action}", fixes);
        }

        Assert.NotEmpty(await page.TextAsync(Panel(reader, "p.querySelector('.cause').textContent")));
        Assert.Equal(token.Keys.Count, (await page.EvaluateAsync(Panel(reader, "p.querySelectorAll('.key').length")))!.GetValue<int>());
        Assert.Contains(token.Label, await page.TextAsync(Panel(reader, "p.querySelector('.token').textContent")));
    }

    /// <summary>`/` and its files: content types, the CSP on every file, revalidation by ETag, no inline script or style.</summary>
    private async Task AssertPageFilesAsync(ServeProcess serve)
    {
        const string Csp = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
        foreach (var (path, type) in ((string, string)[])[("", "text/html"), ("page/page.js", "text/javascript"), ("page/page.css", "text/css"), ("page/icon.svg", "image/svg+xml")])
        {
            using var response = await _http.GetAsync(new Uri(serve.BaseAddress, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Csp, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join(", ", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            var etag = response.Headers.ETag!;

            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.BaseAddress, path));
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await _http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        var html = await _http.GetStringAsync(serve.BaseAddress);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("<style", html);
        using var missing = await _http.GetAsync(new Uri(serve.BaseAddress, "page/nothing.js"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>
    /// The demo bench bindings with reader 01 narrowed: the TLS 1.2 card's ATR → rsa-pkcs1-only, the broken card's
    /// ATR → a token label the module does not have; any other card there has no binding.
    /// </summary>
    private string PageBindings()
    {
        var bindings = JsonNode.Parse(DemoBench.Bindings(profiles.Directory))!.AsArray();
        var second = bindings.Single(b => b!["reader"]!.GetValue<string>() == Second)!.AsObject();
        var broken = second.DeepClone().AsObject();
        second["atr"] = Hex(_tls12Card);
        broken["atr"] = Hex(_brokenCard);
        broken["token"] = "no-such-token";
        bindings.Add(broken);
        return bindings.ToJsonString();
    }

    private async Task<ReaderStateEntry> WaitForApiReaderAsync(ServeProcess serve, string reader, Func<ReaderStateEntry, bool> condition, TimeSpan timeout, string what)
    {
        var readers = await WaitForApiAsync(serve, r => r.Any(e => e.Name == reader && condition(e)), what, timeout);
        return readers.Single(r => r.Name == reader);
    }

    private async Task<IReadOnlyList<ReaderStateEntry>> WaitForApiAsync(ServeProcess serve, Func<IReadOnlyList<ReaderStateEntry>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var bound = timeout ?? CardEvent;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var readers = JsonSerializer.Deserialize(await _http.GetStringAsync(new Uri(serve.BaseAddress, "api/readers")), ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)!;
            if (condition(readers))
            {
                return readers;
            }

            Assert.True(clock.Elapsed < bound, $"the API did not show {what} within {bound}");
            await Task.Delay(25);
        }
    }

    /// <summary>A script with <c>p</c> bound to the panel of <paramref name="reader"/>.</summary>
    private static string Panel(string reader, string body) =>
        $"((p) => p !== null && ({body}))(document.querySelector('article.reader[data-reader=' + CSS.escape({Js(reader)}) + ']'))";

    private static string Js(string text) => BrowserPage.Js(text);

    private static string Hex(ImmutableArray<byte> atr) => Convert.ToHexString(atr.AsSpan());

    /// <summary>A page object of a PDF: <c>/Type /Page</c> not followed by <c>s</c> (that is the page tree).</summary>
    [GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial Regex PdfPages();
}
