using System.CommandLine;
using TokenService.Cli;

// tokenservice-server: what talks TLS (`probe-server`, `handshake`, `check --server`), the card watcher (`watch`), the
// fleet's HTTP API (`serve`), the virtual vpcd cards (`vcard`), the card catalog (`identify`, `cards`), the fleet
// summary (`report`) and the watcher and probe benchmarks (`bench-watch`,
// `bench-probe`, hidden). Started by `tokenservice` with those command lines, or directly (systemd).
var root = new RootCommand("TokenService server side: TLS server probes and handshakes, virtual cards, and live verdicts for the cards in the PC/SC readers, on screen or over HTTP.");
root.Subcommands.Add(Commands.Check(ProbeServerCommand.ProbeModelAsync));
root.Subcommands.Add(ServerCommands.ProbeServer());
root.Subcommands.Add(ServerCommands.Handshake());
root.Subcommands.Add(ServerCommands.Watch());
root.Subcommands.Add(ServerCommands.Serve());
root.Subcommands.Add(ServerCommands.BenchWatch());
root.Subcommands.Add(ServerCommands.BenchProbe());
root.Subcommands.Add(ServerCommands.Vcard());
root.Subcommands.Add(ServerCommands.Identify());
root.Subcommands.Add(ServerCommands.Cards());
root.Subcommands.Add(ServerCommands.Report());
return await CommandLine.RunAsync(root, "tokenservice", args);
