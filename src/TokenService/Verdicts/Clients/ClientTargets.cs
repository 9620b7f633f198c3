using System.Collections.Immutable;
using TokenService.Verdicts.Findings;

namespace TokenService.Verdicts.Clients;

/// <summary>
/// The clients a headline verdict answers for (`check --clients`): by default every stack the engine models. The
/// per-client predictions are always made for every stack; only the headline follows the targets.
/// </summary>
internal sealed record ClientTargets(ImmutableArray<ClientStack> Stacks)
{
    public static ClientTargets All { get; } = new([.. ClientStacks.All]);

    public bool Includes(ClientStack stack) => Stacks.Contains(stack);

    /// <summary>
    /// Stack names (as in the contract's `clients[].stack`), in any order, each once; null with the error when one
    /// is unknown or the list is empty.
    /// </summary>
    public static ClientTargets? TryParse(IEnumerable<string> names, out string? error)
    {
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var unknown = wanted.Where(n => !ClientStacks.All.Any(s => s.Name == n)).ToList();
        error = unknown.Count > 0
            ? $"unknown client {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known: {string.Join(", ", ClientStacks.All.Select(s => s.Name))}"
            : wanted.Count == 0 ? $"no client named; known: {string.Join(", ", ClientStacks.All.Select(s => s.Name))}"
            : null;
        return error is null ? new([.. ClientStacks.All.Where(s => wanted.Contains(s.Name))]) : null;
    }

    public bool Equals(ClientTargets? other) => other is not null && Stacks.SequenceEqual(other.Stacks);

    public override int GetHashCode() => Stacks.Aggregate(0, (hash, s) => HashCode.Combine(hash, s.Name));
}

/// <summary>How far each target client gets: TLS 1.3, TLS 1.2 only, or neither (in report order within each).</summary>
internal sealed record ClientSupport(
    ImmutableArray<ClientStack> Tls13,
    ImmutableArray<ClientStack> Tls12Only,
    ImmutableArray<ClientStack> Neither)
{
    /// <summary>
    /// The headline: compatible when every target completes TLS 1.3; tls12-only when every target completes at least
    /// TLS 1.2; incompatible when none completes either; client-dependent when the targets disagree beyond that.
    /// </summary>
    public Verdict Headline =>
        Neither.IsEmpty && Tls12Only.IsEmpty ? Verdict.Compatible
        : Neither.IsEmpty ? Verdict.Tls12Only
        : Tls13.IsEmpty && Tls12Only.IsEmpty ? Verdict.Incompatible
        : Verdict.ClientDependent;

    /// <summary>Each target at the best version any of the predictions gives it (a client may use any of the keys).</summary>
    public static ClientSupport Of(ClientTargets targets, IReadOnlyList<ClientPrediction> predictions)
    {
        bool Any(ClientStack s, Func<ClientPrediction, bool> ok) => predictions.Any(p => ReferenceEquals(p.Stack, s) && ok(p));
        var tls13 = targets.Stacks.Where(s => Any(s, p => p.Tls13.Ok)).ToImmutableArray();
        var tls12 = targets.Stacks.Where(s => !tls13.Contains(s) && Any(s, p => p.Tls12.Ok)).ToImmutableArray();
        return new(tls13, tls12, [.. targets.Stacks.Where(s => !tls13.Contains(s) && !tls12.Contains(s))]);
    }
}
