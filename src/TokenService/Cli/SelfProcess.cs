using System.Diagnostics;
using System.Text;

namespace TokenService.Cli;

/// <summary>Runs this same program as a child process (a native AOT binary, or `dotnet tokenservice.dll`).</summary>
internal static class SelfProcess
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        IEnumerable<string> prefix = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [Path.Combine(AppContext.BaseDirectory, "tokenservice.dll")]
            : [];
        return StartInfo(host, [.. prefix, .. arguments]);
    }

    /// <summary>
    /// The same program started another way (tests: `dotnet tokenservice.dll`): all three standard streams
    /// redirected, UTF-8 without a byte-order mark.
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

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        var info = StartInfo(arguments);
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        return await RunAsync(info, timeout, ct);
    }

    /// <summary>Runs <paramref name="info"/> (made by <see cref="StartInfo(string, IEnumerable{string})"/>) to its end, or kills it after <paramref name="timeout"/>.</summary>
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
            return (ExitCodes.Unavailable, "", $"timed out after {timeout.TotalSeconds:F0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
