using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TokenService.Cli;

/// <summary>
/// Runs tokenservice-server, the program beside this one that holds `probe-server`, `handshake`, `check --server`,
/// `watch`, `serve`, `vcard`, `identify`, `cards`, `report`, `bench-watch` and `bench-probe`: the generic host, ASP.NET
/// Core, OpenTelemetry, BouncyCastle's TLS client, SslStream, the regular-expression engine, the card catalog and the
/// fleet summary would otherwise cost every `check` and every probe host at start-up (docs/benchmarks.md).
/// </summary>
internal static class ServerProcess
{
    public const string Program = "tokenservice-server";

    /// <summary>The command names whose command lines go to the server (<see cref="Cli.Commands.ServerCommandLines"/>).</summary>
    public static readonly IReadOnlySet<string> Commands = Cli.Commands.ServerCommandLines.Select(line => line.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Runs the server with <paramref name="arguments"/> on this process's terminal and standard streams, and returns
    /// its exit code. Ctrl-C reaches both (one process group): this one waits for the server to finish drawing.
    /// SIGTERM sent to this process is passed on.
    /// </summary>
    /// <exception cref="CliException">The server program is not beside this one.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var underDotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        var server = underDotnet
            ? Path.Combine(AppContext.BaseDirectory, Program + ".dll")
            : Path.Combine(Path.GetDirectoryName(self)!, Program);
        if (!File.Exists(server))
        {
            throw new CliException(ExitCodes.Unavailable, $"{server} is missing: it is built with tokenservice (./tokenservice builds both; or dotnet build src/TokenService.Server)");
        }

        var start = new ProcessStartInfo(underDotnet ? self : server) { UseShellExecute = false };
        if (underDotnet)
        {
            start.ArgumentList.Add(server);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Unavailable, "could not start " + server);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        });
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
