using System.Collections.Immutable;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// What the monitor last reported: each reader by name, with the ATR of its card or null when empty.
/// Every event comes from comparing two views, so a missed notification, a pcscd restart and a normal
/// change all end in the same events.
/// </summary>
internal sealed class ReaderView
{
    public static readonly ReaderView Empty = new(ImmutableSortedDictionary<string, ImmutableArray<byte>?>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableSortedDictionary<string, ImmutableArray<byte>?> _readers;

    private ReaderView(ImmutableSortedDictionary<string, ImmutableArray<byte>?> readers) => _readers = readers;

    /// <summary>This view with <paramref name="reader"/> holding a card with <paramref name="atr"/>, or empty when null.</summary>
    public ReaderView With(string reader, ImmutableArray<byte>? atr) => new(_readers.SetItem(reader, atr));

    /// <summary>
    /// The events that turn <paramref name="before"/> into <paramref name="after"/>, readers in ordinal order:
    /// a departing reader's card is removed before the reader; an arriving reader comes before its card; a card
    /// whose ATR changed is removed and inserted.
    /// </summary>
    public static IEnumerable<ReaderEvent> Changes(ReaderView before, ReaderView after)
    {
        foreach (var (reader, card) in before._readers)
        {
            if (!after._readers.ContainsKey(reader))
            {
                if (card is not null)
                {
                    yield return new CardRemoved(reader);
                }

                yield return new ReaderDetached(reader);
            }
        }

        foreach (var (reader, card) in after._readers)
        {
            if (!before._readers.TryGetValue(reader, out var previous))
            {
                yield return new ReaderAttached(reader);
                previous = null;
            }

            var sameCard = previous is { } a && card is { } b && a.AsSpan().SequenceEqual(b.AsSpan());
            if (previous is not null && !sameCard)
            {
                yield return new CardRemoved(reader);
            }

            if (card is { } atr && !sameCard)
            {
                yield return new CardInserted(reader, atr);
            }
        }
    }
}
