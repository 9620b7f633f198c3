using System.CommandLine;
using TokenService.Cli;

// tokenservice-server: the card watcher (`watch`), the fleet's HTTP API (`serve`) and the watcher and probe
// benchmarks (`bench-watch`, `bench-probe`, hidden). Started by `tokenservice watch|serve|bench-watch|bench-probe`,
// or directly (systemd).
var root = new RootCommand("TokenService card watcher: live verdicts for the cards in the PC/SC readers, on screen or over HTTP.");
root.Subcommands.Add(ServerCommands.Watch());
root.Subcommands.Add(ServerCommands.Serve());
root.Subcommands.Add(ServerCommands.BenchWatch());
root.Subcommands.Add(ServerCommands.BenchProbe());
return await CommandLine.RunAsync(root, "tokenservice", args);
