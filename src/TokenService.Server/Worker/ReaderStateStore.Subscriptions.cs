using System.Collections.Immutable;
using System.Threading.Channels;
using TokenService.Contracts;

namespace TokenService.Worker;

internal sealed partial class ReaderStateStore
{
    /// <summary>
    /// Starts receiving every change from now on. Each subscriber has its own bounded buffer
    /// (<see cref="WorkerOptions.SubscriberBuffer"/>); when it is full the oldest event is dropped and counted in
    /// <see cref="Subscription.Dropped"/>, so a slow or stuck reader costs the worker nothing. Dispose to stop.
    /// </summary>
    public Subscription Subscribe()
    {
        var subscription = new Subscription(this, _subscriberBuffer);
        lock (_gate)
        {
            _subscribers = _subscribers.Add(subscription);
        }

        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(subscription);
        }
    }

    /// <summary>Numbers the event and offers it to every subscriber without waiting. Called under the lock.</summary>
    private void Publish(WatchEvent entry)
    {
        entry = entry with { Sequence = ++_sequence };
        foreach (var subscriber in _subscribers)
        {
            subscriber.Offer(entry);
        }
    }

    /// <summary>One subscriber's view of the broadcast.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly ReaderStateStore _store;
        private readonly Channel<WatchEvent> _events;
        private long _dropped;

        public Subscription(ReaderStateStore store, int capacity)
        {
            _store = store;
            _events = Channel.CreateBounded<WatchEvent>(
                new BoundedChannelOptions(capacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleReader = true,
                    SingleWriter = false,
                },
                _ => Interlocked.Increment(ref _dropped));
        }

        public ChannelReader<WatchEvent> Events => _events.Reader;

        /// <summary>Events this subscriber lost because it fell more than its buffer behind.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        internal void Offer(WatchEvent entry) => _events.Writer.TryWrite(entry);

        public void Dispose()
        {
            _store.Unsubscribe(this);
            _events.Writer.TryComplete();
        }
    }
}
