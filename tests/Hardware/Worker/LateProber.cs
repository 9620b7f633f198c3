using TokenService.Probing;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// The real prober, deaf to cancellation and answering <paramref name="lateBy"/> after it finished: a module that
/// does not notice the card left and hands back a complete verdict after it did.
/// </summary>
internal sealed class LateProber(ITokenProber inner, TimeSpan lateBy) : ITokenProber
{
    private readonly TaskCompletionSource<ProbeOutcome> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first outcome handed back to the worker.</summary>
    public Task<ProbeOutcome> Answered => _answered.Task;

    public async Task<ProbeOutcome> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var outcome = await inner.ProbeAsync(target, CancellationToken.None);
        await Task.Delay(lateBy, CancellationToken.None);
        _answered.TrySetResult(outcome);
        return outcome;
    }
}
