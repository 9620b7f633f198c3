using System.Text.Json;
using TokenService.Contracts;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

/// <summary>The watcher's JSON (GET /api/readers, /api/history, /api/events) against a committed baseline.</summary>
public sealed class WatchContractsTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static readonly CardNameEntry Card = new() { Atr = "3B021450", Names = ["Schlumberger Multiflex 3k"], Family = null, Families = [] };

    private static readonly WatchEventEntry Sample = new()
    {
        Sequence = 42,
        Type = WatchEventTypes.Verdict,
        At = Started.AddMilliseconds(1500),
        ReaderName = "Virtual PCD 00 01",
        State = new ReaderStateEntry
        {
            Name = "Virtual PCD 00 01",
            CardPresent = true,
            Atr = "3B021450",
            Card = Card,
            State = ReaderStateNames.ModuleFailed,
            Error = "the module failed",
            UpdatedAt = Started.AddMilliseconds(1500),
        },
        Check = new CheckHistoryEntry
        {
            Reader = "Virtual PCD 00 01",
            Atr = "3B021450",
            Card = Card,
            State = ReaderStateNames.ModuleFailed,
            TokenLabel = "rsa-pkcs1-only",
            Module = "/usr/lib/softhsm/libsofthsm2.so",
            Error = "the module failed",
            StartedAt = Started,
            DurationMilliseconds = 1500,
        },
    };

    [Fact]
    public void Serialize_SampleEvent_MatchesCommittedBaseline()
    {
        var json = JsonSerializer.Serialize(Sample, ContractsJsonContext.Default.WatchEventEntry);

        Assert.Equal(Baseline(), json.ReplaceLineEndings("\n").Trim());
    }

    [Fact]
    public void Deserialize_Baseline_RoundTripsToTheSameEvent()
    {
        var entry = JsonSerializer.Deserialize(Baseline(), ContractsJsonContext.Default.WatchEventEntry);

        Assert.Equal(Sample with { State = null, Check = null }, entry! with { State = null, Check = null });
        Assert.Equal(Sample.State! with { Card = null }, entry.State! with { Card = null });
        Assert.Equal(Sample.Check! with { Card = null }, entry.Check! with { Card = null });
        Assert.All([entry.State.Card!, entry.Check.Card!], card =>
            Assert.Equal(
                (Card.Atr, Card.Family, string.Join('|', Card.Names), string.Join('|', Card.Families)),
                (card.Atr, card.Family, string.Join('|', card.Names), string.Join('|', card.Families))));
    }

    private static string Baseline() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", "watch-event.json")).ReplaceLineEndings("\n").Trim();
}
