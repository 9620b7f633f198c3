using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Xunit;

namespace TokenService.Tests.Hardware.Pcsc;

/// <summary>
/// The tests that drive pcscd, one after the other (they stop and restart the one pcscd of the machine and share its
/// two readers). They run beside the other collections: none of those reaches pcscd (the profile handshakes load
/// their token's module directly, not p11-kit's OpenSC).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PcscdCollection : ICollectionFixture<PcscdFixture>
{
    public const string Name = "pcscd";
}

/// <summary>
/// Makes sure pcscd runs with the two vpcd readers (eng/start-pcscd.sh installs what is missing), and lets
/// tests stop and start it (eng/pcscd-ctl.sh). A missing dependency fails every test of the collection with
/// what to install; it never skips.
/// </summary>
public sealed class PcscdFixture : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private readonly string _eng = Path.Combine(RepositoryRoot(), "eng");

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The PC/SC hardware tests need Linux with pcscd and vsmartcard-vpcd.");
        }

        await RunAsync("start-pcscd.sh", ScriptTimeout);
        if (!NativeLibrary.TryLoad("libpcsclite.so.1", out var library))
        {
            throw new InvalidOperationException("libpcsclite.so.1 cannot be loaded: install libpcsclite1 (apt-get install libpcsclite1, or run eng/start-pcscd.sh as root).");
        }

        NativeLibrary.Free(library);
    }

    /// <summary>Leaves pcscd running for whoever comes next, even after a test failed while it was stopped.</summary>
    public Task DisposeAsync() => StartPcscdAsync();

    public Task StartPcscdAsync() => RunAsync("pcscd-ctl.sh", ScriptTimeout, "start");

    public Task StopPcscdAsync() => RunAsync("pcscd-ctl.sh", ScriptTimeout, "stop");

    private async Task RunAsync(string script, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(_eng, script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"eng/{script} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"eng/{script} {string.Join(' ', arguments)} exited with {process.ExitCode}. The PC/SC tests need root and " +
                $"the Debian packages pcscd, vsmartcard-vpcd, pcsc-tools and libpcsclite1 (sudo eng/start-pcscd.sh installs them).{Environment.NewLine}{output}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TokenService.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No TokenService.slnx above {AppContext.BaseDirectory}.");
    }
}
