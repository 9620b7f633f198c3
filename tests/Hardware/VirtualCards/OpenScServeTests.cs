using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Worker;
using TokenService.VirtualCards;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>
/// `tokenservice serve --p11kit` as a technician runs it on a desktop with real readers: no binding for reader 0, so
/// every card there is read through OpenSC as p11-kit registers it, in the slot named after the reader, without a
/// PIN; a bindings entry gives reader 1 OpenSC with a PIN file. Virtual PIV, PIV-EC and JPKI cards go in and out
/// through vpcd and pcscd; what the HTTP API and its event stream say is checked against `check` on the same card.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class OpenScServeTests(PcscdFixture pcscd, VirtualCardFixture cards, ITestOutputHelper output) : IClassFixture<VirtualCardFixture>, IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Verdict = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CardEvent = TimeSpan.FromSeconds(10);
    private static readonly string First = VirtualReader.First.Name;
    private static readonly string Second = VirtualReader.Second.Name;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ServeP11Kit_VirtualCardsInAndOut_ReaderShowsOpenScTokenAndCheckVerdict_BindingPinConfirms()
    {
        await pcscd.StartPcscdAsync();
        var bindings = Path.Combine(cards.Directory, $"serve-bindings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bindings, $$"""
            [ { "reader": "{{Second}}", "module": "{{VirtualCardFixture.OpenSc}}", "token": "{{VirtualCardFixture.TokenLabel(CardKind.Piv)}}", "pinFile": "{{cards.PivPinFile}}" } ]
            """);
        var clock = Stopwatch.StartNew();
        await using var serve = ServeProcess.Start(["--p11kit", "--bindings", bindings], new Dictionary<string, string> { ["TOKENSERVICE__TELEMETRY__CONSOLE"] = "false" });
        using var stream = new CancellationTokenSource();
        var events = Channel.CreateUnbounded<WatchEventEntry>();
        Task? reading = null;
        try
        {
            await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);
            reading = serve.ReadEventsAsync(_http, events.Writer, stream.Token);
            await serve.WaitForReadersAsync(_http, CardEvent);
            await UntilEmptyAsync(serve, First);
            await UntilEmptyAsync(serve, Second);
            while (events.Reader.TryRead(out _))
            {
                // events about a card an earlier test left for pcscd to notice gone
            }

            output.WriteLine($"serve answering, both readers empty: {clock.Elapsed.TotalSeconds:F1} s");

            // Reader 0: OpenSC through p11-kit, no PIN. Its verdict is unconfirmed where OpenSC hides the private keys.
            var piv = await InsertAndReadAsync(serve, events.Reader, CardKind.Piv, First);
            Assert.Equal("us-piv", piv.Card!.Family);
            Assert.Equal("compatible", piv.Report!.Verdict);
            var pivToken = Assert.Single(piv.Report.Tokens);
            Assert.Equal((VirtualCardFixture.TokenLabel(CardKind.Piv), First, "not-attempted", false), (pivToken.Label, pivToken.SlotDescription, pivToken.Login, pivToken.Confirmed));
            Assert.Equal(["04"], pivToken.Keys.Where(k => k.Confirmed).Select(k => k.Id)); // 9E, no PIN by the standard
            Assert.EndsWith("/pkcs11/opensc-pkcs11.so", piv.Report.Module.Path, StringComparison.Ordinal); // p11-kit's path, not a binding's

            var ec = await InsertAndReadAsync(serve, events.Reader, CardKind.PivEc, First);
            Assert.Equal("compatible", ec.Report!.Verdict);
            Assert.Equal((VirtualCardFixture.TokenLabel(CardKind.PivEc), false), (Assert.Single(ec.Report.Tokens).Label, ec.Report.Tokens[0].Confirmed));

            // OpenSC makes two tokens of one JPKI card, one per PIN, both in the slot of reader 0: the authentication
            // key is PKCS#1-only (TLS 1.2 in every stack but OpenSSL + libp11, which tries PSS first against a stock
            // server); the signature token shows nothing of its key before the signature PIN.
            var jpki = await InsertAndReadAsync(serve, events.Reader, CardKind.Jpki, First);
            Assert.Equal("jpki", jpki.Card!.Family);
            Assert.NotEmpty(jpki.Card.Names); // pcsc-tools' list names this ATR
            var authentication = jpki.Report!.Tokens.Single(t => t.Label == VirtualCardFixture.TokenLabel(CardKind.Jpki));
            var signature = jpki.Report.Tokens.Single(t => t.Label == "JPKI (Digital Signature PIN)");
            Assert.Equal(2, jpki.Report.Tokens.Count);
            Assert.Equal(("client-dependent", false), (authentication.Verdict, authentication.Confirmed));
            Assert.Equal(["openssl-libp11"], authentication.ClientSupport.Neither);
            Assert.Empty(authentication.ClientSupport.Tls13);
            Assert.Equal(("no-visible-key", 0), (signature.Verdict, signature.Keys.Count));
            Assert.Equal("no-visible-key", jpki.Report.Verdict);

            // Reader 1: the binding's PIN file logs in; every key is then read as it is.
            var bound = await InsertAndReadAsync(serve, events.Reader, CardKind.Piv, Second, "--token", VirtualCardFixture.TokenLabel(CardKind.Piv), "--pin-file", cards.PivPinFile);
            var boundToken = Assert.Single(bound.Report!.Tokens);
            Assert.Equal(("compatible", "logged-in", true), (bound.Report.Verdict, boundToken.Login, boundToken.Confirmed));
            Assert.Equal(["01", "02", "03", "04"], boundToken.Keys.Where(k => k.Confirmed).Select(k => k.Id).Order());

            await stream.CancelAsync();
            await reading;
            Assert.Equal(0, await serve.StopAsync());
            output.WriteLine($"serve --p11kit, four cards in and out: {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await stream.CancelAsync();
            output.WriteLine("serve stdout:\n" + serve.Stdout + "\nserve stderr:\n" + serve.Stderr);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Inserts a freshly provisioned card of <paramref name="kind"/> into <paramref name="reader"/>, waits for serve's
    /// verdict, reads the reader from /api/readers, checks it against the event and against `check` on the same
    /// module (<paramref name="checkArguments"/> added), removes the card and sees the reader empty again.
    /// </summary>
    private async Task<ReaderStateEntry> InsertAndReadAsync(ServeProcess serve, ChannelReader<WatchEventEntry> events, CardKind kind, string reader, params string[] checkArguments)
    {
        var application = VirtualCardKinds.Application(cards.Provision(kind));
        var atr = Convert.ToHexString(VirtualCardKinds.Atr(kind).AsSpan());
        ReaderStateEntry entry;
        TokenReport predicted;
        var vpcd = reader == First ? VirtualReader.First : VirtualReader.Second;
        var clock = Stopwatch.StartNew();
        await using (var card = await VirtualCard.InsertAsync(vpcd, VirtualCardKinds.Atr(kind), CardEvent, new CardEdge(application)))
        {
            // The first finished probe of this card: a late removed-during-probe of an earlier one is no verdict.
            var verdict = await ServeProcess.NextEventAsync(events, reader, WatchEventTypes.Verdict, Verdict, e => e.State?.State == ReaderStateNames.Verdict && e.Check?.Atr == atr);
            entry = (await serve.GetAsync(_http, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)).Single(r => r.Name == reader);
            Assert.True(entry is { CardPresent: true, State: ReaderStateNames.Verdict, Error: null, Report: not null }, $"{reader}: {entry.State} {entry.Error}");
            Assert.Equal((atr, atr), (entry.Atr, entry.Card?.Atr));
            Assert.Equal(Json(verdict.State!.Report!), Json(entry.Report));
            var toVerdict = clock.Elapsed;

            var check = await ChildProcess.TokenServiceAsync(["check", "--module", entry.Report.Module.Path, "--format", "json", .. checkArguments]);
            Assert.True(check.ExitCode is 0 or 1 or 2 or 5 or 6, $"check exited {check.ExitCode}: {check.Stderr}");
            predicted = JsonSerializer.Deserialize(check.Stdout, ContractsJsonContext.Default.TokenReport)!;
            output.WriteLine($"{CardState.KindName(kind)} in {reader}: serve's verdict after {toVerdict.TotalSeconds:F1} s, check's after {(clock.Elapsed - toVerdict).TotalSeconds:F1} s more");
        }

        (application as IDisposable)?.Dispose();
        // serve's report is what `check` says of the card: the same tokens, keys, verdicts and predictions.
        Assert.Equal(Json(predicted), Json(entry.Report));

        var removed = await ServeProcess.NextEventAsync(events, reader, WatchEventTypes.CardRemoved, CardEvent, _ => true);
        Assert.Equal(ReaderStateNames.Empty, removed.State!.State);
        output.WriteLine($"{CardState.KindName(kind)} out of {reader}: reader empty at {clock.Elapsed.TotalSeconds:F1} s");
        var after = (await serve.GetAsync(_http, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)).Single(r => r.Name == reader);
        Assert.Equal((false, (string?)null, (CardNameEntry?)null, ReaderStateNames.Empty, (TokenReport?)null), (after.CardPresent, after.Atr, after.Card, after.State, after.Report));
        return entry;
    }

    private async Task UntilEmptyAsync(ServeProcess serve, string reader)
    {
        var clock = Stopwatch.StartNew();
        ReaderStateEntry? entry;
        while ((entry = (await serve.GetAsync(_http, "api/readers", ContractsJsonContext.Default.IReadOnlyListReaderStateEntry)).SingleOrDefault(r => r.Name == reader)) is not { CardPresent: false })
        {
            Assert.True(clock.Elapsed < CardEvent, $"{reader} is not empty for serve: {entry?.State ?? "not attached"}");
            await Task.Delay(100);
        }
    }

    /// <summary>The report as JSON without its time of making (serve's probe and `check` ran at different times).</summary>
    private static string Json(TokenReport report) => JsonSerializer.Serialize(report with { GeneratedAt = default }, ContractsJsonContext.Default.TokenReport);
}
