using System.Collections.Immutable;
using TokenService.Drivers.Pcsc;

namespace TokenService.Tests.Unit.Drivers.Pcsc;

/// <summary>
/// An in-memory PC/SC service that behaves like pcsc-lite where <see cref="ReaderMonitor"/> depends on it:
/// SCardGetStatusChange blocks until a reader's state differs from the current state handed in; stopping
/// the service fails a blocked call with SCARD_F_COMM_ERROR and invalidates every context; SCardCancel
/// does nothing unless a call is blocked (pcsc-lite winscard_clnt.c, SCardCancel).
/// </summary>
internal sealed class FakePcscApi : IPcscApi
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, ImmutableArray<byte>?> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _eventCounts = new(StringComparer.Ordinal);
    private readonly HashSet<nint> _contexts = [];
    private nint _nextContext = 1;
    private bool _running = true;
    private bool _blocked;
    private bool _cancelled;
    private int _establishCalls;
    private int _cancelCalls;

    /// <summary>Runs on the caller's thread at the start of each SCardListReaders, outside the fake's lock.</summary>
    public Action? BeforeListReaders { get; set; }

    public int EstablishCalls
    {
        get
        {
            lock (_gate)
            {
                return _establishCalls;
            }
        }
    }

    public int CancelCalls
    {
        get
        {
            lock (_gate)
            {
                return _cancelCalls;
            }
        }
    }

    /// <summary>True while a caller is blocked in SCardGetStatusChange.</summary>
    public bool IsBlocked
    {
        get
        {
            lock (_gate)
            {
                return _blocked;
            }
        }
    }

    /// <summary>
    /// Attaches <paramref name="reader"/> or changes its card; each call counts as an event of the reader (pcsc-lite
    /// keeps such a count in the high word of the event state), so a card swapped for another is seen.
    /// </summary>
    public void SetReader(string reader, ImmutableArray<byte>? card = null) => Change(() =>
    {
        _readers[reader] = card;
        _eventCounts[reader] = _eventCounts.GetValueOrDefault(reader) + 1;
    });

    public void RemoveReader(string reader) => Change(() => _readers.Remove(reader));

    public void StopService() => Change(() =>
    {
        _running = false;
        _contexts.Clear();
    });

    public void StartService() => Change(() => _running = true);

    public PcscContextHandle EstablishContext()
    {
        lock (_gate)
        {
            _establishCalls++;
            if (!_running)
            {
                throw new PcscException("SCardEstablishContext", PcscErrors.NoService);
            }

            var context = _nextContext++;
            _contexts.Add(context);
            return new PcscContextHandle(this, context);
        }
    }

    public uint ReleaseContext(nint context)
    {
        lock (_gate)
        {
            return _contexts.Remove(context) ? PcscErrors.Success : PcscErrors.InvalidHandle;
        }
    }

    public ImmutableArray<string> ListReaders(PcscContextHandle context)
    {
        BeforeListReaders?.Invoke();
        lock (_gate)
        {
            ThrowIfInvalid(context, "SCardListReaders", PcscErrors.NoService);
            return [.. _readers.Keys];
        }
    }

    public StatusChange GetStatusChange(PcscContextHandle context, TimeSpan timeout, Span<PcscReaderState> readers)
    {
        lock (_gate)
        {
            while (true)
            {
                ThrowIfInvalid(context, "SCardGetStatusChange", PcscErrors.CommError);
                var changed = false;
                for (var i = 0; i < readers.Length; i++)
                {
                    changed |= Observe(ref readers[i]);
                }

                if (changed)
                {
                    return StatusChange.Changed;
                }

                if (timeout == TimeSpan.Zero)
                {
                    return StatusChange.TimedOut;
                }

                _blocked = true;
                Monitor.Wait(_gate);
                _blocked = false;
                if (_cancelled)
                {
                    _cancelled = false;
                    return StatusChange.Cancelled;
                }
            }
        }
    }

    public void Cancel(PcscContextHandle context)
    {
        lock (_gate)
        {
            _cancelCalls++;
            ThrowIfInvalid(context, "SCardCancel", PcscErrors.NoService);
            if (_blocked)
            {
                _cancelled = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public PcscCardHandle Connect(PcscContextHandle context, string reader, PcscShareMode shareMode, PcscProtocols preferredProtocols) =>
        throw new NotSupportedException();

    public PcscCardStatus Status(PcscCardHandle card) => throw new NotSupportedException();

    public uint Disconnect(nint card, PcscDisposition disposition) => PcscErrors.Success;

    /// <summary>Sets the event state (and ATR) of one entry; true when it differs from the current state.</summary>
    private bool Observe(ref PcscReaderState state)
    {
        ReaderStates observed;
        var atr = ImmutableArray<byte>.Empty;
        if (state.Reader == PcscReaderState.PnpNotification)
        {
            // Windows' convention: the reader count in the high word.
            observed = (ReaderStates)((uint)_readers.Count << 16);
        }
        else if (!_readers.TryGetValue(state.Reader, out var card))
        {
            observed = ReaderStates.Unknown | ReaderStates.Unavailable;
        }
        else
        {
            observed = (card is null ? ReaderStates.Empty : ReaderStates.Present) | (ReaderStates)((uint)(_eventCounts[state.Reader] & 0xFFFF) << 16);
            atr = card ?? [];
        }

        var changed = state.CurrentState == ReaderStates.Unaware || observed != (state.CurrentState & ~ReaderStates.Changed);
        state.EventState = changed ? observed | ReaderStates.Changed : observed;
        state.Atr = atr;
        return changed;
    }

    private void ThrowIfInvalid(PcscContextHandle context, string function, uint whenStopped)
    {
        if (!_running)
        {
            throw new PcscException(function, whenStopped);
        }

        if (!_contexts.Contains(context.DangerousGetHandle()))
        {
            throw new PcscException(function, PcscErrors.InvalidHandle);
        }
    }

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
            Monitor.PulseAll(_gate);
        }
    }
}
