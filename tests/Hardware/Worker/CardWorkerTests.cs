using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Probing;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;
using static TokenService.Tests.Hardware.Worker.WatcherBench;
using TokenService.Worker;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// The card watcher against real pcscd + vpcd, the real locator on the demo bench bindings and the real
/// out-of-process prober on the SoftHSM test profiles. In the pcscd collection: these stop and start pcscd
/// and insert virtual cards, so nothing else that uses pcscd runs beside them.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class CardWorkerTests(PcscdFixture pcscd, ProfilesFixture profiles, ITestOutputHelper output)
    : IClassFixture<ProfilesFixture>, IAsyncLifetime
{
    /// <summary>Loss is seen at once; recovery within the harness's backoff (at most 1 s) after pcscd is back.</summary>
    private static readonly TimeSpan ServiceEvent = TimeSpan.FromSeconds(15);

    private readonly ImmutableArray<byte> Atr = UniqueAtr();

    public Task InitializeAsync() => WatcherBench.PrepareAsync(pcscd, profiles);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CardInserted_IntoABoundReader_PublishesTheVerdictOfItsProfile_SameReportAsCheck()
    {
        await using var watcher = await StartAsync();
        await WaitForReadersAsync(watcher);

        await using var card = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent);
        var inserted = await watcher.NextAsync(WatchEventType.CardInserted, First, CardEvent);
        var verdict = await watcher.NextAsync(WatchEventType.Verdict, First, Verdict);

        Assert.Equal(Convert.ToHexString(Atr.AsSpan()), inserted.State!.Atr);
        var state = verdict.State!;
        Assert.True(state.CardPresent);
        Assert.Equal(ReaderStateNames.Verdict, state.State);
        Assert.Null(state.Error);
        var token = Assert.Single(state.Report!.Tokens);
        Assert.Equal("rsa2048-full", token.Label);
        Assert.Equal("logged-in", token.Login);
        Assert.Equal(ProfilesFixture.Expected("rsa2048-full", "EXPECTED_VERDICT"), state.Report.Verdict);
        Assert.Equal("rsa2048-full", verdict.Check!.TokenLabel);
        Assert.Equal(state.Report.Verdict, verdict.Check.Verdict);
        Assert.Equal(state, watcher.Store.Reader(First));

        // The same document `check --format json` prints for that token, but for when it was made.
        var check = await profiles.CheckAsync("rsa2048-full");
        Assert.Equal(Json(check with { GeneratedAt = default }), Json(state.Report with { GeneratedAt = default }));
    }

    [Fact]
    public async Task CardRemoved_AfterItsVerdict_ClearsTheReader_AndKeepsTheCheckInHistory()
    {
        await using var watcher = await StartAsync();
        await WaitForReadersAsync(watcher);
        var card = await VirtualCard.InsertAsync(VirtualReader.Second, Atr, CardEvent);
        await watcher.NextAsync(WatchEventType.Verdict, Second, Verdict);

        await card.DisposeAsync();
        var removed = await watcher.NextAsync(WatchEventType.CardRemoved, Second, CardEvent);

        Assert.Equal(new { CardPresent = false, Atr = (string?)null, State = ReaderStateNames.Empty, Report = (TokenReport?)null },
            new { removed.State!.CardPresent, removed.State.Atr, removed.State.State, removed.State.Report });
        var now = watcher.Store.Reader(Second)!;
        Assert.Equal(ReaderStateNames.Empty, now.State);
        Assert.Null(now.Report);
        var last = watcher.Store.History().First(h => h.Atr == Convert.ToHexString(Atr.AsSpan()));
        Assert.Equal((Second, ReaderStateNames.Verdict, "rsa-pkcs1-only", "client-dependent"), (last.Reader, last.State, last.TokenLabel, last.Verdict));
    }

    [Fact]
    public async Task TwoCards_InBothReadersAtOnce_EachGetsTheVerdictOfItsOwnProfile()
    {
        await using var watcher = await StartAsync();
        await WaitForReadersAsync(watcher);

        await using var first = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent);
        await using var second = await VirtualCard.InsertAsync(VirtualReader.Second, Atr, CardEvent);
        var verdicts = new Dictionary<string, WatchEvent>();
        while (verdicts.Count < 2)
        {
            var verdict = await watcher.NextAsync(WatchEventType.Verdict, null, Verdict);
            verdicts[verdict.ReaderName!] = verdict;
        }

        Assert.Equal(("rsa2048-full", "compatible"), (verdicts[First].Check!.TokenLabel, verdicts[First].State!.Report!.Verdict));
        Assert.Equal(("rsa-pkcs1-only", "client-dependent"), (verdicts[Second].Check!.TokenLabel, verdicts[Second].State!.Report!.Verdict));
        Assert.Equal([ReaderStateNames.Verdict, ReaderStateNames.Verdict], watcher.Store.Readers().Select(r => r.State));
    }

    [Fact]
    public async Task PcscdStoppedAndStarted_WhileWatching_IsPublished_AndTheNextInsertionStillGetsItsVerdict()
    {
        await using var watcher = await StartAsync();
        await WaitForReadersAsync(watcher);
        await using var dropped = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent);
        await watcher.NextAsync(WatchEventType.Verdict, First, Verdict);

        await pcscd.StopPcscdAsync();
        var lost = await watcher.NextAsync(WatchEventType.ServiceLost, null, ServiceEvent);
        Assert.NotNull(watcher.Store.ServiceLostReason);
        await pcscd.StartPcscdAsync();
        var restored = await watcher.NextAsync(WatchEventType.ServiceRestored, null, ServiceEvent);

        Assert.StartsWith("SCard", lost.Reason, StringComparison.Ordinal);
        Assert.True(restored.GapMilliseconds > 0);
        Assert.Null(watcher.Store.ServiceLostReason);
        // Stopping pcscd dropped the vpcd card: reported removed on the way back, its verdict cleared.
        Assert.Contains(watcher.Seen, e => e.Type == WatchEventType.CardRemoved && e.ReaderName == First && e.Sequence > lost.Sequence);
        Assert.Equal(ReaderStateNames.Empty, watcher.Store.Reader(First)!.State);

        await using var card = await VirtualCard.InsertAsync(VirtualReader.Second, Atr, CardEvent);
        var verdict = await watcher.NextAsync(WatchEventType.Verdict, Second, Verdict);

        Assert.Equal(ReaderStateNames.Verdict, verdict.State!.State);
        Assert.Equal("client-dependent", verdict.State.Report!.Verdict);
    }

    [Fact]
    public async Task CardRemoved_DuringItsProbe_GivesRemovedDuringProbe_AndTheLateVerdictIsDropped()
    {
        LateProber? prober = null;
        await using var watcher = await StartAsync(services => services.AddSingleton<ITokenProber>(provider =>
            prober = new LateProber(provider.GetRequiredService<OutOfProcessProber>(), TimeSpan.FromSeconds(2))));
        await WaitForReadersAsync(watcher);

        var card = await VirtualCard.InsertAsync(VirtualReader.First, Atr, CardEvent);
        await watcher.NextAsync(WatchEventType.ProbeStarted, First, CardEvent);
        await card.DisposeAsync();
        var removed = await watcher.NextAsync(WatchEventType.CardRemoved, First, CardEvent);
        var result = await watcher.NextAsync(WatchEventType.Verdict, First, CardEvent);

        Assert.Equal(ReaderStateNames.RemovedDuringProbe, removed.State!.State);
        Assert.False(removed.State.CardPresent);
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, result.Check!.State);
        Assert.Null(result.Check.Verdict);
        Assert.Null(result.State!.Report);

        // The module answers with a full verdict after the card left: it must not be published.
        var late = await prober!.Answered.WaitAsync(Verdict);
        Assert.Equal(ProbeStatus.Completed, late.Status);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the worker has taken it by now
        Assert.DoesNotContain(watcher.Drain(), e => e.ReaderName == First && AboutCard(e, Atr) && e.Type != WatchEventType.CardRemoved);
        Assert.Equal(ReaderStateNames.RemovedDuringProbe, Assert.Single(watcher.Store.History(), h => h.Atr == Convert.ToHexString(Atr.AsSpan())).State);
        if (watcher.Store.Reader(First) is { CardPresent: false } now) // unless someone else's card came in since
        {
            Assert.Equal((ReaderStateNames.RemovedDuringProbe, (TokenReport?)null), (now.State, now.Report));
        }
    }

    private Task<WatcherHarness> StartAsync(Action<IServiceCollection>? replace = null) =>
        WatcherHarness.StartAsync(output, WatcherBench.BindingsFile(profiles), Atr, replace);

    private static async Task WaitForReadersAsync(WatcherHarness watcher)
    {
        await watcher.NextAsync(WatchEventType.ReaderAttached, First, CardEvent);
        await watcher.NextAsync(WatchEventType.ReaderAttached, Second, CardEvent);
    }

    private static string Json(TokenReport report) => JsonSerializer.Serialize(report, ContractsJsonContext.Default.TokenReport);
}
