using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TokenService.Worker;

/// <summary>The watcher's limits (configuration section <c>TokenService:Worker</c>; environment TOKENSERVICE__WORKER__...).</summary>
internal sealed class WorkerOptions : IValidatableObject
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

    /// <summary>First wait before reconnecting to pcscd (10 ms to 1 min); doubles (with jitter) up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest wait between two reconnection attempts (at least <see cref="ReconnectDelay"/>, at most 10 min). One
    /// second: the watcher is back within a second of pcscd (with 10 s it lagged 1.5 s after a restart, measured), and
    /// an attempt is one failed connect to pcscd's socket.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    // TimeSpan ranges are checked here, not with [Range(typeof(TimeSpan), ...)]: that constructor converts through
    // a TypeConverter and is marked RequiresUnreferencedCode, which fails the NativeAOT build (IL2026).
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReconnectDelay < TimeSpan.FromMilliseconds(10) || ReconnectDelay > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"ReconnectDelay: between 00:00:00.010 and 00:01:00, got {ReconnectDelay}", [nameof(ReconnectDelay)]);
        }

        if (MaxReconnectDelay < ReconnectDelay || MaxReconnectDelay > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"MaxReconnectDelay: between ReconnectDelay and 00:10:00, got {MaxReconnectDelay}", [nameof(MaxReconnectDelay)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;
