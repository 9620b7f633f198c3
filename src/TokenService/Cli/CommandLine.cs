using System.CommandLine;

namespace TokenService.Cli;

/// <summary>Parses and runs a command line: parse errors are one line each on stderr and exit 64.</summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(RootCommand root, string program, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"{program}: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Run '{program} --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }
}
