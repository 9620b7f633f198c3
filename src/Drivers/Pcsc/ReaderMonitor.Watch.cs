using System.Threading.Channels;

namespace TokenService.Drivers.Pcsc;

internal sealed partial class ReaderMonitor
{
    /// <summary>The name of each watch thread; short enough for Linux's 15-character thread names.</summary>
    internal const string ThreadName = "PC/SC monitor";

    /// <summary>One watch: its thread, its context, and the view of readers it last reported.</summary>
    private sealed class Watch(ReaderMonitor monitor, ChannelWriter<ReaderEvent> events)
    {
        /// <summary>How often <see cref="StopAsync"/> repeats SCardCancel until the thread has left.</summary>
        private static readonly TimeSpan CancelRepeat = TimeSpan.FromMilliseconds(50);

        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();

        // Owned by the watch thread; _context is also read under _gate by StopAsync, to cancel it.
        private PcscContextHandle? _context;
        private ReaderView _view = ReaderView.Empty;
        private long? _lostAt;

        public void Start() =>
            new Thread(Run) { IsBackground = true, Name = ThreadName }.Start();

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);

            // SCardCancel ends only a call that is already blocked (pcsc-lite's SCardCancel does nothing while
            // no call on the context is cancellable), so a stop that lands just before the thread enters
            // SCardGetStatusChange would be lost: repeat it until the thread has left.
            while (!_exited.Task.IsCompleted)
            {
                CancelBlockedCall();
                await Task.WhenAny(_exited.Task, Task.Delay(CancelRepeat, monitor._time)).ConfigureAwait(false);
            }

            _stop.Dispose();
        }

        private void CancelBlockedCall()
        {
            lock (_gate)
            {
                if (_context is null)
                {
                    return;
                }

                try
                {
                    monitor._api.Cancel(_context);
                }
                catch (PcscException)
                {
                    // pcscd is gone: the blocked call fails by itself.
                }
            }
        }

        private void Run()
        {
            Log.WatchStarted(monitor._logger, Environment.CurrentManagedThreadId);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var context = Establish();
                    if (context is null)
                    {
                        break;
                    }

                    SetContext(context);
                    try
                    {
                        Follow(context);
                    }
                    catch (PcscException e) when (e.IsServiceUnavailable)
                    {
                        Lost(e);
                    }
                    finally
                    {
                        SetContext(null);
                    }
                }

                events.TryComplete();
                Log.WatchStopped(monitor._logger);
            }
            catch (Exception e) // anything else ends the stream with the exception, for the reader to see
            {
                Log.WatchFailed(monitor._logger, e);
                events.TryComplete(e);
            }
            finally
            {
                _exited.TrySetResult();
            }
        }

        private void SetContext(PcscContextHandle? context)
        {
            lock (_gate)
            {
                _context = context;
            }
        }

        /// <summary>A new context, retried with backoff while pcscd is unreachable; null once stopping.</summary>
        private PcscContextHandle? Establish()
        {
            try
            {
                return monitor._reconnect.Execute(static (watch, _) => watch.EstablishOnce(), this, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return null;
            }
        }

        private PcscContextHandle EstablishOnce()
        {
            try
            {
                return monitor._api.EstablishContext();
            }
            catch (PcscException e) when (e.IsServiceUnavailable)
            {
                Lost(e);
                throw;
            }
        }

        /// <summary>Reports changes on one context until stopped; throws when pcscd goes away.</summary>
        private void Follow(PcscContextHandle context)
        {
            ProbePnp(context);

            // Per context: each reader's last event state, handed back as its current state so that
            // SCardGetStatusChange returns as soon as anything differs (pcsc-lite API, SCardGetStatusChange).
            var pnp = ReaderStates.Unaware;
            var current = new Dictionary<string, ReaderStates>(StringComparer.Ordinal);

            // The first read must not block: with no reader connected nothing would wake it, and
            // ServiceRestored waits for it. Later reads block until something changes.
            var timeout = TimeSpan.Zero;
            while (!_stop.IsCancellationRequested)
            {
                var readers = monitor._api.ListReaders(context);
                var states = new PcscReaderState[readers.Length + 1];
                states[0] = new PcscReaderState(PcscReaderState.PnpNotification, pnp);
                for (var i = 0; i < readers.Length; i++)
                {
                    states[i + 1] = new PcscReaderState(readers[i], current.GetValueOrDefault(readers[i], ReaderStates.Unaware));
                }

                StatusChange outcome;
                try
                {
                    outcome = monitor._api.GetStatusChange(context, timeout, states);
                }
                catch (PcscException e) when (e.Code is PcscErrors.UnknownReader or PcscErrors.ReaderUnavailable)
                {
                    continue; // a reader left between listing and waiting: list again
                }

                if (outcome == StatusChange.Cancelled)
                {
                    continue;
                }

                pnp = states[0].EventState & ~ReaderStates.Changed;
                current.Clear();
                var view = ReaderView.Empty;
                foreach (var state in states.AsSpan(1))
                {
                    if ((state.EventState & ReaderStates.Unknown) != 0)
                    {
                        continue; // the reader left during the call
                    }

                    current[state.Reader] = state.EventState & ~ReaderStates.Changed;
                    view = view.With(state.Reader, (state.EventState & ReaderStates.Present) != 0 ? state.Atr : null);
                }

                Report(view);
                timeout = Timeout.InfiniteTimeSpan;
            }
        }

        /// <summary>
        /// Asks, without waiting, for the PnP pseudo-reader alone. Nothing has changed yet, so a service that
        /// knows it answers SCARD_E_TIMEOUT; one that does not flags it SCARD_STATE_UNKNOWN or rejects the name
        /// (the check pcsc-tools' pcsc_scan makes). Without it reader arrivals would go unseen.
        /// </summary>
        private void ProbePnp(PcscContextHandle context)
        {
            Span<PcscReaderState> probe = [new PcscReaderState(PcscReaderState.PnpNotification, ReaderStates.Unaware)];
            bool known;
            try
            {
                monitor._api.GetStatusChange(context, TimeSpan.Zero, probe);
                known = (probe[0].EventState & ReaderStates.Unknown) == 0;
            }
            catch (PcscException e) when (e.Code == PcscErrors.UnknownReader)
            {
                known = false;
            }

            if (!known)
            {
                throw new NotSupportedException(
                    $"The PC/SC service does not support {PcscReaderState.PnpNotification}: reader arrivals cannot be watched.");
            }
        }

        /// <summary>Emits the changes from the last view, then ServiceRestored when this read ends a gap.</summary>
        private void Report(ReaderView view)
        {
            foreach (var change in ReaderView.Changes(_view, view))
            {
                Emit(change);
            }

            _view = view;
            if (_lostAt is { } lostAt)
            {
                _lostAt = null;
                var gap = monitor._time.GetElapsedTime(lostAt);
                Log.ServiceRestored(monitor._logger, gap);
                Emit(new ServiceRestored(gap));
            }
        }

        private void Lost(PcscException e)
        {
            if (_lostAt is not null)
            {
                return;
            }

            _lostAt = monitor._time.GetTimestamp();
            var reason = $"{e.Function}: {e.CodeName}";
            Log.ServiceLost(monitor._logger, reason, e);
            Emit(new ServiceLost(reason));
        }

        private void Emit(ReaderEvent readerEvent)
        {
            Log.Event(monitor._logger, readerEvent);
            events.TryWrite(readerEvent);
        }
    }
}
