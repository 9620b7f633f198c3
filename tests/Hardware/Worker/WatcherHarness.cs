using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenService.Contracts;
using TokenService.Hosting;
using TokenService.Worker;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// The card watcher in this process, composed as `watch` and `serve` compose it (AddWatcher: the real locator
/// on a bindings file, the real out-of-process prober, the real ReaderMonitor on pcscd), with a subscription
/// taken before it starts so a test can wait for its events.
/// </summary>
internal sealed class WatcherHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ReaderStateStore.Subscription _events;
    private readonly List<WatchEvent> _seen = [];

    private readonly ImmutableArray<byte> _atr;

    private WatcherHarness(IHost host, ImmutableArray<byte> atr)
    {
        _host = host;
        _atr = atr;
        Store = host.Services.GetRequiredService<ReaderStateStore>();
        _events = Store.Subscribe();
    }

    public ReaderStateStore Store { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Every event read so far by <see cref="NextAsync"/>, in order.</summary>
    public IReadOnlyList<WatchEvent> Seen => _seen;

    /// <param name="atr">The ATR of the test's cards: <see cref="NextAsync"/> skips card events about other cards.</param>
    /// <param name="replace">Changes to the composition (e.g. a slower prober), applied after AddWatcher.</param>
    public static async Task<WatcherHarness> StartAsync(
        ITestOutputHelper output, string bindingsFile, ImmutableArray<byte> atr, Action<IServiceCollection>? replace = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WatcherServices.BindingsFileKey] = bindingsFile,
            // The probe host is this build's tokenservice.dll (the test host is not tokenservice).
            ["TokenService:Probing:HostExecutable"] = "dotnet",
            ["TokenService:Probing:HostArguments:0"] = Path.Combine(AppContext.BaseDirectory, "tokenservice.dll"),
            // A JIT probe host starting on a loaded 2-core machine takes seconds.
            ["TokenService:Probing:Timeout"] = "00:01:00",
            ["TokenService:Probing:StartTimeout"] = "00:01:00",
            ["TokenService:Worker:ReconnectDelay"] = "00:00:00.100",
            ["TokenService:Worker:MaxReconnectDelay"] = "00:00:01",
            ["TokenService:Telemetry:Console"] = "false",
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddWatcher(builder.Configuration);
        replace?.Invoke(builder.Services);
        var harness = new WatcherHarness(builder.Build(), atr);
        await harness._host.StartAsync();
        return harness;
    }

    /// <summary>
    /// Reads events until one of <paramref name="type"/> for <paramref name="reader"/> (and <paramref name="match"/>)
    /// comes, about this test's card; fails listing what came.
    /// </summary>
    public async Task<WatchEvent> NextAsync(WatchEventType type, string? reader, TimeSpan timeout, Func<WatchEvent, bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var entry = await _events.Events.ReadAsync(deadline.Token);
                _seen.Add(entry);
                if (entry.Type == type && (reader is null || entry.ReaderName == reader) && WatcherBench.AboutCard(entry, _atr)
                    && (match is null || match(entry)))
                {
                    return entry;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no {type} event{(reader is null ? "" : " for " + reader)} within {timeout}. Seen: {Describe()}");
        }
    }

    /// <summary>Events that are already queued, without waiting.</summary>
    public List<WatchEvent> Drain()
    {
        var drained = new List<WatchEvent>();
        while (_events.Events.TryRead(out var entry))
        {
            _seen.Add(entry);
            drained.Add(entry);
        }

        return drained;
    }

    public string Describe() => _seen.Count == 0
        ? "nothing"
        : string.Join(", ", _seen.Select(e => $"{e.Type}({e.ReaderName}{(e.State is { } s ? " " + s.State : "")})"));

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _host.StopAsync(bound.Token);
        _events.Dispose();
        await ((IAsyncDisposable)_host).DisposeAsync(); // the prober's probe hosts are disposed asynchronously
    }
}
