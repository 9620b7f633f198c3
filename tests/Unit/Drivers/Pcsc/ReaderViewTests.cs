using System.Collections.Immutable;
using TokenService.Drivers.Pcsc;
using Xunit;

namespace TokenService.Tests.Unit.Drivers.Pcsc;

public sealed class ReaderViewTests
{
    private static readonly ImmutableArray<byte> Atr1 = [0x3B, 0x01, 0x01];
    private static readonly ImmutableArray<byte> Atr2 = [0x3B, 0x01, 0x02];

    public static TheoryData<string, string, string> Cases => new()
    {
        // before, after, expected events; a view is "reader=card" pairs, card "-" for empty, "1"/"2" for an ATR.
        { "", "", "" },
        { "", "R=-", "+R" },
        { "", "R=1", "+R, in R 1" },
        { "R=-", "", "-R" },
        { "R=1", "", "out R, -R" },
        { "R=-", "R=1", "in R 1" },
        { "R=1", "R=-", "out R" },
        { "R=1", "R=1", "" },
        { "R=1", "R=2", "out R, in R 2" },
        { "A=1,B=-", "B=2,C=1", "out A, -A, in B 2, +C, in C 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Changes_BetweenTwoViews_AreTheEventsThatTurnOneIntoTheOther(string before, string after, string expected)
    {
        var events = ReaderView.Changes(View(before), View(after)).Select(Describe);

        Assert.Equal(expected, string.Join(", ", events));
    }

    [Fact]
    public void Changes_SameAtrInANewArray_IsNoChange()
    {
        var before = ReaderView.Empty.With("R", [0x3B, 0x00]);
        var after = ReaderView.Empty.With("R", [0x3B, 0x00]);

        Assert.Empty(ReaderView.Changes(before, after));
    }

    private static ReaderView View(string pairs)
    {
        var view = ReaderView.Empty;
        foreach (var pair in pairs.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (reader, card) = (pair.Split('=')[0], pair.Split('=')[1]);
            view = view.With(reader, card switch { "1" => Atr1, "2" => Atr2, _ => null });
        }

        return view;
    }

    private static string Describe(ReaderEvent readerEvent) => readerEvent switch
    {
        ReaderAttached e => $"+{e.Reader}",
        ReaderDetached e => $"-{e.Reader}",
        CardInserted e => $"in {e.Reader} {(e.Atr.SequenceEqual(Atr1) ? "1" : "2")}",
        CardRemoved e => $"out {e.Reader}",
        _ => readerEvent.ToString(),
    };
}
