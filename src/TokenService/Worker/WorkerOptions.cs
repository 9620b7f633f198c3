using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TokenService.Worker;

/// <summary>The watcher's limits (configuration section <c>TokenService:Worker</c>; environment TOKENSERVICE__WORKER__...).</summary>
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

    /// <summary>First wait before reconnecting to pcscd; doubles (with jitter) up to <see cref="MaxReconnectDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);
}

[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;
