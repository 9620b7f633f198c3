using TokenService.Contracts;

namespace TokenService.Fleet;

/// <summary>The kinds of input that are not a check document (<see cref="FleetInputProblemEntry.Kind"/>).</summary>
internal enum InputProblem
{
    Malformed,
    Foreign,
    Oversized,
    Unreadable,
}

/// <summary>
/// Adds up check documents into the fleet summary. Pure and order-independent: each reading thread fills its own
/// tally, <see cref="Merge"/> joins them, and <see cref="Summary"/> gives the same report whatever the order the
/// documents came in (cards seen twice keep the newest document; ties go to the smaller source name).
/// </summary>
internal sealed class FleetTally
{
    /// <summary>How many problem inputs and card-side-only cards the report names (all are counted).</summary>
    public const int ListLimit = 1000;

    private static readonly IReadOnlySet<string> KnownVerdicts = ContractWords.Verdicts;

    private readonly Dictionary<string, long> _deviceVerdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seen> _cards = new(StringComparer.Ordinal);
    private readonly List<Seen> _anonymousCards = [];
    private readonly List<FleetInputProblemEntry> _problems = [];
    private readonly long[] _problemCounts = new long[Enum.GetValues<InputProblem>().Length];
    private long _documents;
    private long _checks;
    private long _observations;

    public void Add(string source, CheckDocument report)
    {
        _documents++;
        _checks++;
        Increment(_deviceVerdicts, report.Verdict);
        for (var i = 0; i < report.Tokens.Count; i++)
        {
            _observations++;
            var seen = new Seen(CardAssessment.Of(report.Tokens[i]), report.GeneratedAt, source);
            if (seen.Card.Identity is not { } identity)
            {
                _anonymousCards.Add(seen);
            }
            else if (!_cards.TryGetValue(identity, out var known) || seen.IsNewerThan(known))
            {
                _cards[identity] = seen;
            }
        }
    }

    public void AddProblem(string source, InputProblem kind, string detail)
    {
        _documents++;
        _problemCounts[(int)kind]++;
        _problems.Add(new FleetInputProblemEntry { Source = source, Kind = Name(kind), Detail = detail });
    }

    public void Merge(FleetTally other)
    {
        _documents += other._documents;
        _checks += other._checks;
        _observations += other._observations;
        foreach (var (verdict, count) in other._deviceVerdicts)
        {
            Increment(_deviceVerdicts, verdict, count);
        }

        foreach (var (identity, seen) in other._cards)
        {
            if (!_cards.TryGetValue(identity, out var known) || seen.IsNewerThan(known))
            {
                _cards[identity] = seen;
            }
        }

        _anonymousCards.AddRange(other._anonymousCards);
        _problems.AddRange(other._problems);
        for (var i = 0; i < _problemCounts.Length; i++)
        {
            _problemCounts[i] += other._problemCounts[i];
        }
    }

    public FleetReport Summary()
    {
        var cards = _cards.Values.Concat(_anonymousCards).ToList();
        var notWorking = cards.Where(c => c.Card.Verdict != ContractWords.Compatible).ToList();
        var problems = _problems.OrderBy(p => p.Source, StringComparer.Ordinal).ToList();
        var cardSideOnly = notWorking.Where(c => c.Card.CardSideOnly).OrderBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.Card.SerialNumber, StringComparer.Ordinal).ToList();
        return new FleetReport
        {
            Inputs = new FleetInputsEntry
            {
                Documents = _documents,
                Checks = _checks,
                Malformed = _problemCounts[(int)InputProblem.Malformed],
                Foreign = _problemCounts[(int)InputProblem.Foreign],
                Oversized = _problemCounts[(int)InputProblem.Oversized],
                Unreadable = _problemCounts[(int)InputProblem.Unreadable],
                Problems = [.. problems.Take(ListLimit)],
                ProblemsNotListed = Math.Max(0, problems.Count - ListLimit),
            },
            Devices = Tally(_deviceVerdicts),
            Cards = Tally(Count(cards.Select(c => c.Card.Verdict))),
            CardObservations = _observations,
            Models = [.. cards.GroupBy(c => (c.Card.Manufacturer, c.Card.Model))
                .Select(g => new FleetModelEntry { Manufacturer = g.Key.Manufacturer, Model = g.Key.Model, Cards = g.Count(), ByVerdict = Ordered(Count(g.Select(c => c.Card.Verdict))) })
                .OrderByDescending(m => m.Cards).ThenBy(m => m.Manufacturer, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)],
            Causes = Ordered(Count(notWorking.Select(c => c.Card.Cause ?? "none-reported"))),
            Remediations = Remediations(notWorking),
            CardSideOnly = new FleetCardListEntry
            {
                Count = cardSideOnly.Count,
                ByCause = Ordered(Count(cardSideOnly.Select(c => c.Card.Cause ?? "none-reported"))),
                Cards = [.. cardSideOnly.Take(ListLimit).Select(c => new FleetCardEntry
                {
                    Manufacturer = c.Card.Manufacturer, Model = c.Card.Model, Label = c.Card.Label, SerialNumber = c.Card.SerialNumber,
                    Verdict = c.Card.Verdict, Cause = c.Card.Cause, Source = c.Source,
                })],
                CardsNotListed = Math.Max(0, cardSideOnly.Count - ListLimit),
            },
        };
    }

    public static string Name(InputProblem kind) => kind switch
    {
        InputProblem.Malformed => "malformed",
        InputProblem.Foreign => "foreign",
        InputProblem.Oversized => "oversized",
        _ => "unreadable",
    };

    /// <summary>Server-side fixes first, then client, then card; within a side, the fix that makes most cards work first.</summary>
    private static IReadOnlyList<FleetRemediationEntry> Remediations(List<Seen> notWorking)
    {
        var named = new Dictionary<Fix, long>();
        var working = new Dictionary<Fix, long>();
        foreach (var card in notWorking)
        {
            foreach (var fix in card.Card.FixesNamed)
            {
                Increment(named, fix);
            }

            foreach (var fix in card.Card.FixesThatMakeItWork)
            {
                Increment(working, fix);
            }
        }

        return [.. named
            .Select(n => new FleetRemediationEntry { Side = n.Key.Side, Code = n.Key.Code, Action = n.Key.Action, CardsNamingIt = n.Value, CardsItMakesWork = working.GetValueOrDefault(n.Key) })
            .OrderBy(r => SideRank(r.Side)).ThenByDescending(r => r.CardsItMakesWork).ThenByDescending(r => r.CardsNamingIt)
            .ThenBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Action, StringComparer.Ordinal)];
    }

    private static int SideRank(string side) => side switch { "server" => 0, "client" => 1, "card" => 2, _ => 3 };

    private static FleetTallyEntry Tally(Dictionary<string, long> byVerdict) => new()
    {
        Total = byVerdict.Values.Sum(),
        ByVerdict = Ordered(byVerdict),
        UnknownVerdicts = byVerdict.Where(v => !KnownVerdicts.Contains(v.Key)).Sum(v => v.Value),
    };

    private static Dictionary<string, long> Count(IEnumerable<string> names)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            Increment(counts, name);
        }

        return counts;
    }

    private static IReadOnlyList<FleetCountEntry> Ordered(Dictionary<string, long> counts) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new FleetCountEntry { Name = c.Key, Count = c.Value })];

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key, long by = 1)
        where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + by;

    /// <summary>A card as one document showed it.</summary>
    private sealed record Seen(CardAssessment Card, DateTimeOffset GeneratedAt, string Source)
    {
        public bool IsNewerThan(Seen other) =>
            GeneratedAt != other.GeneratedAt ? GeneratedAt > other.GeneratedAt : string.CompareOrdinal(Source, other.Source) < 0;
    }
}
