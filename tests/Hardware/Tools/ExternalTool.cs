using System.Diagnostics;

namespace TokenService.Tests.Hardware.Tools;

/// <summary>
/// Runs the command-line tools the hardware tests compare against or prepare tokens with. A missing tool is a
/// failure that names the Debian package to install, never a skipped test.
/// </summary>
internal static class ExternalTool
{
    /// <summary>Runs <paramref name="tool"/> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">The tool is not installed, or it exited with an error.</exception>
    public static string Run(string tool, string package, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var path = Find(tool, package);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{tool} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.GetAwaiter().GetResult()}");
        }

        return output;
    }

    /// <summary>The full path of a program on PATH.</summary>
    public static string Find(string tool, string package)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{tool} is not on PATH: install the Debian package '{package}' (apt-get install {package}).");
    }

    /// <summary>A library or other file a package provides.</summary>
    public static string RequireFile(string path, string package) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: install the Debian package '{package}' (apt-get install {package}).");
}
