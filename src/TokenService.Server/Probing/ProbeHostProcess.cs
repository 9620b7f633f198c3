using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TokenService.Probing;

/// <summary>
/// The parent's handle on one running probe host: writes requests to its standard input, and one pump per
/// output stream reads its answers and its diagnostics. Answers are matched to requests by ID, so an answer
/// nobody waits for any more (a cancelled request) is dropped. Not thread-safe for writers: the prober sends
/// one request at a time.
/// </summary>
internal sealed class ProbeHostProcess : IAsyncDisposable
{
    /// <summary>Standard error lines kept to explain an exit (a module's last words, a runtime's crash message).</summary>
    private const int StderrLinesKept = 5;

    private readonly Process process;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<long, PendingRequest> pending = new();
    private readonly Queue<string> lastStderr = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private volatile bool outputEnded;

    private ProbeHostProcess(Process process, ILogger logger)
    {
        this.process = process;
        this.logger = logger;
        ProcessId = process.Id;
        stdoutPump = Task.Run(PumpResponsesAsync);
        stderrPump = Task.Run(PumpDiagnosticsAsync);
    }

    public int ProcessId { get; }

    /// <summary>The host can no longer answer: its output ended or the process exited.</summary>
    public bool HasEnded => outputEnded || process.HasExited;

    /// <summary>Starts a host.</summary>
    /// <exception cref="Win32Exception">The executable could not be started.</exception>
    public static ProbeHostProcess Start(ProcessStartInfo startInfo, ILogger logger)
    {
        var process = Process.Start(startInfo) ?? throw new Win32Exception($"could not start {startInfo.FileName}");
        return new ProbeHostProcess(process, logger);
    }

    /// <summary>
    /// Sends one request and waits for its answer. The answer is null when the host's output ended first (it
    /// exited or was killed); <see cref="Reply.Accepted"/> then says whether the host had begun the request.
    /// Cancelling abandons the wait, not the request.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Reply> ExchangeAsync(ProbeHostRequest request, CancellationToken cancellationToken)
    {
        var waiter = new PendingRequest();
        pending[request.Id] = waiter;
        try
        {
            if (outputEnded)
            {
                return new Reply(null, Accepted: false);
            }

            try
            {
                await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request, ProbeProtocolJsonContext.Default.ProbeHostRequest).AsMemory(), cancellationToken);
                await process.StandardInput.FlushAsync(cancellationToken);
            }
            catch (IOException)
            {
                // EPIPE: the host is gone; its output pump completes every waiter.
            }

            var response = await waiter.Answer.Task.WaitAsync(cancellationToken);
            return new Reply(response, waiter.Accepted);
        }
        finally
        {
            pending.TryRemove(request.Id, out _);
        }
    }

    /// <summary>Kills the host and anything it started (a module may fork helpers).</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }

    /// <summary>Waits (bounded) for the host to exit and says how it ended, with its last diagnostics.</summary>
    public async Task<string> DescribeExitAsync(TimeSpan wait)
    {
        using var bound = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            return "stopped answering but did not exit";
        }

        try
        {
            await stderrPump.WaitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // A grandchild still holds standard error open: explain with what was read so far.
        }

        var how = ExitDescriptions.Of(process.ExitCode);
        var said = LastDiagnostics();
        return said.Length == 0 ? how : $"{how}; its last words: {said}";
    }

    /// <summary>Closes the host's input (it exits when idle); kills it when it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is broken: the host is gone.
        }

        using var bound = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await Task.WhenAll(stdoutPump, stderrPump).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // A grandchild holding the pipes open; the process object is released all the same.
        }

        process.Dispose();
    }

    private async Task PumpResponsesAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                ProbeHostResponse? response;
                try
                {
                    response = JsonSerializer.Deserialize(line, ProbeProtocolJsonContext.Default.ProbeHostResponse);
                }
                catch (JsonException e)
                {
                    Log.UnreadableResponse(logger, ProcessId, e);
                    continue;
                }

                if (response is not null && pending.TryGetValue(response.Id, out var waiter))
                {
                    if (response.Status == ProbeHostStatus.Accepted)
                    {
                        waiter.Accepted = true;
                    }
                    else
                    {
                        waiter.Answer.TrySetResult(response);
                    }
                }
                else
                {
                    Log.UnexpectedResponse(logger, ProcessId, response?.Id ?? 0);
                }
            }
        }
        catch (IOException e)
        {
            Log.OutputFailed(logger, ProcessId, e);
        }
        finally
        {
            outputEnded = true;
            foreach (var waiter in pending.Values)
            {
                waiter.Answer.TrySetResult(null);
            }
        }
    }

    private async Task PumpDiagnosticsAsync()
    {
        try
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                Log.HostSaid(logger, ProcessId, line);
                lock (lastStderr)
                {
                    lastStderr.Enqueue(line);
                    if (lastStderr.Count > StderrLinesKept)
                    {
                        lastStderr.Dequeue();
                    }
                }
            }
        }
        catch (IOException)
        {
            // The host is gone; what it said so far is kept.
        }
    }

    private string LastDiagnostics()
    {
        lock (lastStderr)
        {
            return string.Join(" | ", lastStderr.Where(l => l.Trim().Length > 0));
        }
    }

    /// <summary>What came back for one request: its answer, or null with whether the host had accepted it.</summary>
    public readonly record struct Reply(ProbeHostResponse? Response, bool Accepted);

    private sealed class PendingRequest
    {
        private volatile bool accepted;

        public TaskCompletionSource<ProbeHostResponse?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Accepted
        {
            get => accepted;
            set => accepted = value;
        }
    }
}
