using Microsoft.Extensions.Hosting;
using TokenService.Worker;

namespace TokenService.Watch;

/// <summary>
/// Draws the watcher for a person: on a terminal the whole screen is redrawn on each event; when the output is
/// redirected each event is appended as lines. Subscribes before the worker starts, so nothing is missed.
/// </summary>
internal sealed class WatchScreen(ReaderStateStore store, TimeProvider time, TextWriter output, bool redraw, bool color) : BackgroundService
{
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";
    private const string HomeAndClear = "\u001b[H\u001b[2J";

    private readonly ReaderStateStore.Subscription _subscription = store.Subscribe();
    private readonly WatchRenderer _renderer = new(color, time.LocalTimeZone);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (redraw)
            {
                await output.WriteAsync(HideCursor);
                await DrawAsync();
            }

            await foreach (var entry in _subscription.Events.ReadAllAsync(stoppingToken))
            {
                if (redraw)
                {
                    // The screen shows the state, which already includes this event and any queued behind it.
                    while (_subscription.Events.TryRead(out _))
                    {
                    }

                    await DrawAsync();
                }
                else
                {
                    await output.WriteAsync(_renderer.Event(entry));
                }

                await output.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C: leave the last screen in place.
        }
        finally
        {
            if (redraw)
            {
                await output.WriteAsync(ShowCursor);
            }

            await output.FlushAsync(CancellationToken.None);
        }
    }

    public override void Dispose()
    {
        _subscription.Dispose();
        base.Dispose();
    }

    private Task DrawAsync() =>
        output.WriteAsync(HomeAndClear + _renderer.Screen(store.Readers(), store.History(), store.ServiceLostReason, time.GetUtcNow()));
}
