using System.CommandLine;
using TokenService.Cli;

// TokenService: smart-card and token verdicts for TLS client authentication.
// Each command is one handler in Cli/; exit codes are documented in Cli/ExitCodes.cs and the README.
var root = new RootCommand("TokenService: can this token's key authenticate a TLS 1.3 / TLS 1.2 client, in which client, and if not, why and what fixes it.");
root.Subcommands.Add(Commands.Check());
root.Subcommands.Add(Commands.Handshake());
root.Subcommands.Add(Commands.Profiles());
root.Subcommands.Add(Commands.ProbeServer());
root.Subcommands.Add(Commands.ProbeHost());
root.Subcommands.Add(Commands.BenchProbe());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"tokenservice: {error.Message}");
    }

    Console.Error.WriteLine("Run 'tokenservice --help' for usage.");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync();
