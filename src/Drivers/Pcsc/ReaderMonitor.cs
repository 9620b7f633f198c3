using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// Reports reader arrivals and departures, card insertions and removals, and pcscd going away and coming
/// back, as one ordered stream per <see cref="WatchAsync"/>.
/// </summary>
/// <remarks>
/// Each watch runs SCardGetStatusChange with an INFINITE timeout on a dedicated thread that owns its
/// context (pcsc-lite API: a context belongs to one thread), so an idle watch costs no CPU. Reader changes
/// are found by comparing SCardListReaders with the last view, woken by the \\?PnP?\Notification
/// pseudo-reader. When pcscd stops or restarts the context is released and a new one established with
/// exponential backoff; the first successful read is compared with the view from before the gap, so the
/// stream reports what changed meanwhile, then <see cref="ServiceRestored"/>.
/// </remarks>
internal sealed partial class ReaderMonitor
{
    private readonly IPcscApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _reconnect;

    public ReaderMonitor(IPcscApi api, TimeProvider timeProvider, ILogger<ReaderMonitor> logger, ReaderMonitorOptions? options = null)
    {
        options ??= new ReaderMonitorOptions();
        _api = api;
        _time = timeProvider;
        _logger = logger;
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PcscException>(e => e.IsServiceUnavailable),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectDelay,
                MaxDelay = options.MaxReconnectDelay,
                OnRetry = args =>
                {
                    Log.ReconnectScheduled(_logger, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Starts a watch and yields its events until <paramref name="cancellationToken"/> is cancelled or the
    /// caller stops enumerating; either way the watch thread has ended before this returns or throws.
    /// It begins with the current state: <see cref="ReaderAttached"/> for each reader and
    /// <see cref="CardInserted"/> for each card (or <see cref="ServiceLost"/> when pcscd is not running).
    /// </summary>
    /// <exception cref="OperationCanceledException">when <paramref name="cancellationToken"/> is cancelled.</exception>
    /// <exception cref="PcscException">a PC/SC failure that is not pcscd going away.</exception>
    /// <exception cref="NotSupportedException">the PC/SC service has no \\?PnP?\Notification.</exception>
    public async IAsyncEnumerable<ReaderEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var events = Channel.CreateUnbounded<ReaderEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var watch = new Watch(this, events.Writer);
        watch.Start();
        try
        {
            await foreach (var readerEvent in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return readerEvent;
            }
        }
        finally
        {
            await watch.StopAsync().ConfigureAwait(false);
        }
    }
}
