using TokenService.Processes;

namespace TokenService.Cli;

/// <summary>Runs this same program as a child process (a native AOT binary, or `dotnet tokenservice.dll`).</summary>
internal static class SelfProcess
{
    /// <summary>Runs `tokenservice ARGUMENTS` with <paramref name="environment"/> added; a run past <paramref name="timeout"/> is killed and reported as unavailable.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        var info = TokenServiceProgram.StartInfo(arguments);
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        try
        {
            return await ChildProcess.RunAsync(info, timeout, ct);
        }
        catch (TimeoutException e)
        {
            return (ExitCodes.Unavailable, "", e.Message);
        }
        catch (OperationCanceledException)
        {
            return (ExitCodes.Unavailable, "", "cancelled before it ended");
        }
    }
}
