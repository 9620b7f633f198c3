using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TokenService.Drivers.Pcsc;

namespace TokenService.Worker;

/// <summary>
/// The watcher's limits (configuration section <c>TokenService:Worker</c>; environment TOKENSERVICE__WORKER__...).
/// The same section's <c>ReconnectDelay</c> and <c>MaxReconnectDelay</c> are <see cref="ReaderMonitorOptions"/>.
/// </summary>
internal sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>How many finished checks <c>GET /api/history</c> keeps (oldest dropped first).</summary>
    [Range(1, 10_000)]
    public int HistoryCapacity { get; set; } = 100;

    /// <summary>
    /// Events buffered per subscriber (SSE client, watch screen). A subscriber that falls this far behind loses
    /// its oldest events, counted and told to it; the worker never waits for a subscriber.
    /// </summary>
    [Range(1, 100_000)]
    public int SubscriberBuffer { get; set; } = 256;
}

[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;

[OptionsValidator]
internal sealed partial class ReaderMonitorOptionsValidator : IValidateOptions<ReaderMonitorOptions>;
