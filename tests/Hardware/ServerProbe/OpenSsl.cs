using System.Diagnostics;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>Runs the `openssl` command line tool with a bounded wait.</summary>
internal static class OpenSsl
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs `openssl args...` and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">openssl is missing, fails or does not finish in time.</exception>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "The server probe tests need the `openssl` command line tool (OpenSSL 3): apt-get install openssl", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} did not finish in {CommandTimeout}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
            }

            return stdout.GetAwaiter().GetResult();
        }
    }
}
