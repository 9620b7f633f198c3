using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Worker;
using TokenService.VirtualCards;
using Xunit;
using Xunit.Abstractions;
using TokenService.Worker;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>
/// The card watcher on a virtual PIV card read by OpenSC: a bench binding maps reader 0 to opensc-pkcs11.so, the
/// card's token and a PIN file, as a test bench with real cards would.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class OpenScWatcherTests(VirtualCardFixture cards, ITestOutputHelper output) : IClassFixture<VirtualCardFixture>
{
    private static readonly TimeSpan Verdict = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CardEvent = TimeSpan.FromSeconds(30);
    private static readonly string First = VirtualReader.First.Name;

    [Fact]
    public async Task Watcher_PivCardWithBindingPin_PublishesOpenScTokenVerdict()
    {
        await using var watcher = await StartAsync();
        var state = cards.Provision(CardKind.Piv);
        await using var card = await InsertAsync(new PivApplication(state));

        var verdict = await watcher.NextAsync(WatchEventType.Verdict, First, Verdict);

        Assert.Equal(ReaderStateNames.Verdict, verdict.State!.State);
        var token = verdict.State.Report!.Tokens.Single();
        Assert.Equal(VirtualCardFixture.TokenLabel(CardKind.Piv), token.Label);
        Assert.Equal("logged-in", token.Login);
        Assert.Equal("compatible", verdict.State.Report.Verdict);
        Assert.Equal(["01", "02", "03", "04"], token.Keys.Select(k => k.Id).Order());
    }

    [Fact]
    public async Task Watcher_PivCardPulledWhileOpenScReads_RemovedDuringProbeAndTheNextCardGetsItsVerdict()
    {
        await using var watcher = await StartAsync();
        using var gated = new GatedApplication(new PivApplication(cards.Provision(CardKind.Piv)));
        var card = await InsertAsync(gated);

        // OpenSC in the probe host asks for the 9A certificate; the card is pulled before it answers.
        await gated.Reached.WaitAsync(Verdict);
        var removal = card.DisposeAsync().AsTask();
        gated.Release();
        await removal;
        var removed = await watcher.NextAsync(WatchEventType.CardRemoved, First, CardEvent);
        var result = await watcher.NextAsync(WatchEventType.Verdict, First, CardEvent);

        Assert.Equal(ReaderStateNames.RemovedDuringProbe, removed.State!.State);
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, result.Check!.State);
        Assert.Null(result.State!.Report);

        await using var next = await InsertAsync(new PivApplication(cards.Provision(CardKind.Piv)));
        var verdict = await watcher.NextAsync(WatchEventType.Verdict, First, Verdict);
        Assert.Equal(ReaderStateNames.Verdict, verdict.State!.State);
        Assert.Equal("compatible", verdict.State.Report!.Verdict);
    }

    private async Task<WatcherHarness> StartAsync()
    {
        var bindings = Path.Combine(cards.Directory, $"bindings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bindings, $$"""
            [ { "reader": "{{First}}", "module": "{{VirtualCardFixture.OpenSc}}", "token": "{{VirtualCardFixture.TokenLabel(CardKind.Piv)}}", "pinFile": "{{cards.PivPinFile}}" } ]
            """);
        var watcher = await WatcherHarness.StartAsync(output, bindings, VirtualCardKinds.PivAtr);
        // The reader must be known and empty. A card the test before removed (its vpcd socket closed) is still
        // present for pcscd until its next poll of vpcd, so the watcher may start by seeing it, probing it and
        // reporting it removed during that probe: those events are about that card, not this test's, and go.
        var deadline = TimeProvider.System.GetUtcNow() + CardEvent;
        while (watcher.Store.Reader(First) is not { CardPresent: false } && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(watcher.Store.Reader(First) is { CardPresent: false }, $"{First} is not attached and empty for the watcher: {watcher.Store.Reader(First)?.State ?? "not attached"}");
        watcher.Drain();
        return watcher;
    }

    private static Task<VirtualCard> InsertAsync(ICardApplication application) =>
        VirtualCard.InsertAsync(VirtualReader.First, VirtualCardKinds.PivAtr, CardEvent, new CardEdge(application));
}
