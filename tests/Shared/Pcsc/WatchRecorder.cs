using System.Diagnostics;
using System.Threading.Channels;
using TokenService.Drivers.Pcsc;

namespace TokenService.Tests.Shared.Pcsc;

/// <summary>Enumerates one <see cref="ReaderMonitor.WatchAsync"/> in the background and lets a test wait for events.</summary>
internal sealed class WatchRecorder : IAsyncDisposable
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _cancel = new();
    private readonly Channel<ReaderEvent> _events = Channel.CreateUnbounded<ReaderEvent>();
    private readonly List<ReaderEvent> _seen = [];
    private readonly Task _enumeration;

    public WatchRecorder(ReaderMonitor monitor) => _enumeration = Task.Run(() => EnumerateAsync(monitor));

    /// <summary>The enumeration: canceled once <see cref="StopAsync"/> ended it, faulted if the watch failed.</summary>
    public Task Completion => _enumeration;

    /// <summary>Every event read so far by <see cref="NextAsync{T}"/>, in order.</summary>
    public IReadOnlyList<ReaderEvent> Seen => _seen;

    /// <summary>
    /// Reads events until one of type <typeparamref name="T"/> matches; fails, listing what came, when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<T> NextAsync<T>(TimeSpan timeout, Func<T, bool>? match = null)
        where T : ReaderEvent
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var readerEvent = await _events.Reader.ReadAsync(deadline.Token);
                _seen.Add(readerEvent);
                if (readerEvent is T wanted && (match is null || match(wanted)))
                {
                    return wanted;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {timeout}. Seen: {Describe()}");
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException($"The watch ended before a matching {typeof(T).Name}. Seen: {Describe()}", e.InnerException ?? e);
        }
    }

    /// <summary>
    /// Cancels the watch and returns how long the enumeration took to end; how it ended (canceled, or faulted
    /// earlier) is in <see cref="Completion"/>.
    /// </summary>
    public async Task<TimeSpan> StopAsync()
    {
        var clock = Stopwatch.StartNew();
        await _cancel.CancelAsync();
        if (await Task.WhenAny(_enumeration, Task.Delay(StopBound)) != _enumeration)
        {
            throw new TimeoutException($"The watch did not end within {StopBound} of its cancellation.");
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _cancel.Dispose();
    }

    public string Describe() => _seen.Count == 0 ? "nothing" : string.Join(", ", _seen);

    private async Task EnumerateAsync(ReaderMonitor monitor)
    {
        try
        {
            await foreach (var readerEvent in monitor.WatchAsync(_cancel.Token))
            {
                _events.Writer.TryWrite(readerEvent);
            }

            _events.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            _events.Writer.TryComplete();
            throw;
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(e);
            throw;
        }
    }
}
