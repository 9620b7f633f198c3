using System.Text.Json;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.VirtualCards;
using TokenService.Tests.Hardware.Worker;
using TokenService.VirtualCards;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Page;

/// <summary>
/// The page's "Removed while being read" state in a real Chromium: `serve` binds reader 00 to OpenSC and a virtual
/// PIV card that holds back one answer (<see cref="GatedApplication"/>), so the page shows the card being read; the
/// card is pulled at that moment, and the panel and the history show the removed-during-probe look.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class PageRemovedDuringProbeTests(VirtualCardFixture cards, ITestOutputHelper output) : IClassFixture<VirtualCardFixture>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CardEvent = TimeSpan.FromSeconds(30);
    private static readonly string First = VirtualReader.First.Name;
    private static readonly string Artifacts = Repo.Path(".tokenservice", "test-results", "page");

    [Fact]
    public async Task Page_InChromium_CardPulledWhileOpenScReadsIt_ShowsReadingThenRemovedWhileBeingRead()
    {
        var bindings = Path.Combine(cards.Directory, $"page-bindings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bindings, $$"""
            [ { "reader": "{{First}}", "module": "{{VirtualCardFixture.OpenSc}}", "token": "{{VirtualCardFixture.TokenLabel(CardKind.Piv)}}", "pinFile": "{{cards.PivPinFile}}" } ]
            """);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var serve = ServeProcess.Start(["--bindings", bindings], new Dictionary<string, string> { ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false" });
        try
        {
            await serve.WaitUntilAnsweringAsync(http, "api/readers", Startup);
            // Empty first: a card the test before pulled can still be present for pcscd until its next poll of vpcd.
            await WaitForReaderAsync(http, serve, r => r.State == ReaderStateNames.Empty, CardEvent, "reader 00 empty");

            await using var browser = await Chromium.StartAsync();
            var page = await BrowserPage.OpenAsync(browser);
            await page.NavigateAsync(serve.BaseAddress);
            await page.WaitForAsync(Panel("p.dataset.state === 'empty'") + " && document.querySelector('#service').dataset.service === 'ok'", Startup, "reader 00 empty, connected");

            using var gated = new GatedApplication(new PivApplication(cards.Provision(CardKind.Piv)));
            var card = await VirtualCard.InsertAsync(VirtualReader.First, VirtualCardKinds.PivAtr, CardEvent, new CardEdge(gated));
            await gated.Reached.WaitAsync(Probe); // OpenSC in the probe host asks for the 9A certificate and waits
            await page.WaitForAsync(Panel("p.dataset.state === 'probing' && p.querySelector('.headline').textContent.includes('Reading the token')"), Live, "reading the token in reader 00's panel");
            var reading = await page.TextAsync(Panel("p.querySelector('.headline').className + '|' + p.querySelector('.headline .icon').textContent"));

            var removal = card.DisposeAsync().AsTask();
            gated.Release();
            await removal;
            await WaitForReaderAsync(http, serve, r => r.State == ReaderStateNames.RemovedDuringProbe && !r.CardPresent, CardEvent, "removed-during-probe for reader 00");
            await page.WaitForAsync(Panel("p.dataset.state === 'removed-during-probe' && p.querySelector('.headline').textContent.includes('Removed while being read') && p.textContent.includes('Reinsert it')"), Live, "removed while being read in reader 00's panel");
            var removed = await page.TextAsync(Panel("p.querySelector('.headline').className + '|' + p.querySelector('.headline .icon').textContent"));
            await page.WaitForAsync("document.querySelector('#history tbody tr').textContent.includes('Removed while being read')", Live, "the check in the history");
            await page.ScreenshotAsync(Path.Combine(Artifacts, "page-removed-during-probe.png"));

            output.WriteLine($"reading: {reading}; removed: {removed}");
            Assert.EndsWith("|\u23CF", removed);
            Assert.NotEqual(reading, removed); // its own icon and tone, not the probing look
            Assert.Equal(0, (await page.EvaluateAsync(Panel("p.querySelectorAll('.key').length")))!.GetValue<int>()); // no verdict, no keys shown
            Assert.Empty(page.Problems);
            Assert.Equal(0, await serve.StopAsync());
        }
        finally
        {
            output.WriteLine("serve stderr:\n" + serve.Stderr);
        }
    }

    private static string Panel(string body) =>
        $"((p) => p !== null && ({body}))(document.querySelector('article.reader[data-reader=' + CSS.escape({BrowserPage.Js(First)}) + ']'))";

    private static async Task WaitForReaderAsync(HttpClient http, ServeProcess serve, Func<ReaderStateEntry, bool> condition, TimeSpan bound, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var readers = JsonSerializer.Deserialize(await http.GetStringAsync(new Uri(serve.BaseAddress, "api/readers")), ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)!;
            if (readers.Any(r => r.Name == First && condition(r)))
            {
                return;
            }

            Assert.True(clock.Elapsed < bound, $"the API did not show {what} within {bound}: {string.Join(", ", readers.Select(r => $"{r.Name}={r.State}"))}");
            await Task.Delay(25);
        }
    }
}
