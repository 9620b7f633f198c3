using Xunit;
using System.Diagnostics;

namespace TokenService.Tests.Hardware.Infrastructure;

/// <summary>Paths in the repository and the tools the hardware tests drive.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string SoftHsmModule => "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>OpenSC's logging proxy: loaded as a module, it forwards every call to PKCS11SPY and logs it to PKCS11SPY_OUTPUT.</summary>
    public static string SpyModule => "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TokenService.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (TokenService.slnx) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Fails with an install hint when a tool the test needs is missing: never a silent skip.</summary>
    public static void Require(string path, string package) =>
        _ = path.Contains('/') ? Tools.ExternalTool.RequireFile(path, package) : Tools.ExternalTool.Find(path, package);
}

/// <summary>Runs a child process with a bound on its time.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The tokenservice CLI built next to the tests (JIT build: `dotnet tokenservice.dll`).</summary>
    public static Task<Result> TokenServiceAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null) =>
        RunAsync("dotnet", [System.IO.Path.Combine(AppContext.BaseDirectory, "tokenservice.dll"), .. args], env, TimeSpan.FromSeconds(60), stdin);
}
