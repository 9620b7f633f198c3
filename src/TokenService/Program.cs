using System.CommandLine;
using TokenService.Cli;

// TokenService: smart-card and token verdicts for TLS client authentication.
// Each command is one handler in Cli/; exit codes are documented in Cli/ExitCodes.cs and the README.
// probe-server, handshake and check --server (BouncyCastle's TLS client, SslStream), watch, serve, bench-watch and
// bench-probe run in tokenservice-server (Cli/ServerProcess.cs), so that this program and every probe host stay lean.
if (args is [var first, ..] && ServerProcess.Commands.Contains(first))
{
    return await Commands.GuardAsync(() => ServerProcess.RunAsync(args));
}

var root = new RootCommand("TokenService: can this token's key authenticate a TLS 1.3 / TLS 1.2 client, in which client, and if not, why and what fixes it.");
root.Subcommands.Add(Commands.Check(probeServer: null));
root.Subcommands.Add(Commands.Profiles());
root.Subcommands.Add(Commands.Identify());
root.Subcommands.Add(Commands.Cards());
foreach (var command in Commands.Server())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(Commands.ProbeHost());
return await CommandLine.RunAsync(root, "tokenservice", args);
