using System.Diagnostics;
using System.Text;

namespace TokenService.Processes;

/// <summary>Child processes whose three standard streams this process reads and writes.</summary>
internal static class ChildProcess
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// <paramref name="executable"/> with <paramref name="arguments"/>: all three standard streams redirected,
    /// UTF-8 without a byte-order mark.
    /// </summary>
    public static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>
    /// Runs <paramref name="info"/> (made by <see cref="StartInfo(string, IEnumerable{string})"/>) to its end with an
    /// empty standard input, or kills it with everything it started after <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="timeout"/> (it was killed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (it was killed).</exception>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken ct)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
