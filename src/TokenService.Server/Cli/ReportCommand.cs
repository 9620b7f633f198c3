using System.Text.Json;
using TokenService.Contracts;
using TokenService.Fleet;

namespace TokenService.Cli;

/// <summary>
/// `report FILE|DIR|- ...`: the fleet summary of many `check --format json` documents (README "Fleet report").
/// Inputs that are not check documents are counted and named in the summary, never fatal.
/// </summary>
internal static class ReportCommand
{
    internal sealed record Options(IReadOnlyList<string> Inputs, string Format, int Parallelism);

    public static Task<int> RunAsync(Options options, TextWriter stdout, Stream stdin, CancellationToken cancellationToken)
    {
        if (options.Format is not ("table" or "json" or "html"))
        {
            throw new CliException(ExitCodes.Usage, $"--format: expected table, json or html, got '{options.Format}'");
        }

        if (options.Inputs.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "report: give at least one FILE, DIR or - (JSON lines on standard input)");
        }

        var fleet = FleetSources.Read(options.Inputs, stdin, options.Parallelism, cancellationToken).Summary();
        stdout.Write(options.Format switch
        {
            "json" => JsonSerializer.Serialize(fleet, ContractsJsonContext.Default.FleetReport) + "\n",
            "html" => FleetRenderer.Html(fleet),
            _ => FleetRenderer.Table(fleet),
        });
        return Task.FromResult(ExitCodes.Success);
    }
}
