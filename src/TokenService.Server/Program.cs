using System.CommandLine;
using TokenService.Cli;

// tokenservice-server: what talks TLS (`probe-server`, `handshake`, `check --server`), the card watcher (`watch`), the
// fleet's HTTP API (`serve`), the virtual vpcd cards (`vcard`), the card catalog (`identify`, `cards`), the fleet
// summary (`report`) and the watcher and probe benchmarks (`bench-watch`,
// `bench-probe`, hidden). Started by `tokenservice` with those command lines, or directly (systemd).
var root = new RootCommand("TokenService server side: TLS server probes and handshakes, virtual cards, and live verdicts for the cards in the PC/SC readers, on screen or over HTTP.");
root.Subcommands.Add(Commands.Check(ProbeServerCommand.ProbeModelAsync));
foreach (var command in ServerCommands.All())
{
    root.Subcommands.Add(command);
}

return await CommandLine.RunAsync(root, "tokenservice", args);
