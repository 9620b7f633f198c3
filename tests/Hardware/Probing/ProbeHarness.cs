using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Probing;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.Probing;

/// <summary>
/// A real <see cref="OutOfProcessProber"/> whose probe hosts are the test output's tokenservice.dll
/// (`dotnet tokenservice.dll probe-host`, JIT), with its log kept for assertions and echoed to the test output.
/// Starting a JIT host takes about a second on a busy machine, so the start bound is generous; the request
/// bound is the test's.
/// </summary>
internal sealed class ProbeHarness : IAsyncDisposable
{
    public ProbeHarness(ITestOutputHelper output, TimeSpan timeout)
    {
        Repo.Require(HostAssembly, "(none: build the solution, tokenservice.dll is copied next to the tests)");
        Log = new CapturingLogger<OutOfProcessProber>(output);
        Prober = new OutOfProcessProber(
            Options.Create(new ProbingOptions
            {
                Timeout = timeout,
                StartTimeout = TimeSpan.FromSeconds(60),
                HostExecutable = "dotnet",
                HostArguments = [HostAssembly],
            }),
            Options.Create(new VerdictOptions()),
            TimeProvider.System,
            Log);
    }

    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "tokenservice.dll");

    public OutOfProcessProber Prober { get; }

    public CapturingLogger<OutOfProcessProber> Log { get; }

    /// <summary>A SoftHSM profile's token, as a bench binding would give it: own SOFTHSM2_CONF, label, PIN file.</summary>
    public static ProbeTarget SoftHsm(ProfilesFixture profiles, string profile) => new(
        Repo.SoftHsmModule,
        new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf(profile) },
        profile,
        SlotDescription: null,
        profiles.PinFile);

    /// <summary>Probes with a bound on the test's own wait, longer than the prober's timeout.</summary>
    public Task<ProbeOutcome> ProbeAsync(ProbeTarget target) =>
        Prober.ProbeAsync(target, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Waits (bounded) until no process has <paramref name="pid"/> any more.</summary>
    public static async Task AssertGoneAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"process {pid} still runs 10 s after it should have ended");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Prober.DisposeAsync();

    private static bool IsZombie(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ...": state Z is dead but not yet reaped.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}

/// <summary>Keeps every log line (message and exception) and writes it to the test output.</summary>
internal sealed class CapturingLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}";
        lines.Enqueue(line);
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A pump logging after the test ended.
        }
    }
}
