using System.CommandLine;
using TokenService.Cli;

// TokenService: smart-card and token verdicts for TLS client authentication.
// Each command is one handler in Cli/; exit codes are documented in Cli/ExitCodes.cs and the README.
// This program holds what a one-shot check and every probe host need: check, profiles, probe-host. probe-server,
// handshake and check --server (BouncyCastle's TLS client, SslStream), watch, serve, vcard, identify, cards, report
// (pcsc-tools' regular expressions, the card catalog, the fleet summary), bench-watch and bench-probe run in
// tokenservice-server (Cli/ServerProcess.cs): a NativeAOT program pays at start for every type it carries.
if (args is [var first, ..] && ServerProcess.Commands.Contains(first))
{
    return await Commands.GuardAsync(() => ServerProcess.RunAsync(args));
}

var root = new RootCommand("TokenService: can this token's key authenticate a TLS 1.3 / TLS 1.2 client, in which client, and if not, why and what fixes it.");
root.Subcommands.Add(Commands.Check(probeServer: null));
root.Subcommands.Add(Commands.Profiles());
foreach (var command in Commands.Server())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(Commands.ProbeHost());
return await CommandLine.RunAsync(root, "tokenservice", args);
