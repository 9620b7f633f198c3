using System.Diagnostics;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Input;
using TokenService.Reporting;
using TokenService.Text;

namespace TokenService.Cli;

/// <summary>
/// `profiles MANIFEST`: checks every provisioned SoftHSM profile, each in its own child `check` process (one
/// SOFTHSM2_CONF per process: SoftHSM reads it at C_Initialize), in parallel, and compares the verdicts with
/// the manifest's expectations.
/// </summary>
internal static class ProfilesCommand
{
    internal sealed record Options(string Manifest, OutputFormat Format, string? PinFile, string Module, int Parallelism);

    /// <param name="Module">The manifest's module column (a card family's view, tools/p11view.so), or null for the --module option.</param>
    private sealed record ManifestRow(string Profile, string Config, string Label, string Expected, string? Module);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var rows = ReadManifest(options.Manifest);
        var pinFile = options.PinFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Manifest))!, "pin");
        var stopwatch = Stopwatch.StartNew();
        var done = 0;
        var results = new ProfileResult[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await CheckOneAsync(rows[i], options.Module, pinFile, ct);
                var n = Interlocked.Increment(ref done);
                await stderr.WriteAsync(new StyledText(color: false)
                    .Line($"[{n}/{rows.Count}] {rows[i].Profile}: {results[i].Verdict ?? "error"} ({results[i].ElapsedMilliseconds:F0} ms)").ToString());
            });

        var run = new ProfileRunReport
        {
            Manifest = Path.GetFullPath(options.Manifest),
            Profiles = results,
            ElapsedMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
        };
        if (options.Format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(run, CheckReportJsonContext.Default.ProfileRunReport));
        }
        else
        {
            RenderTables(run, stdout);
        }

        return results.All(r => r.MatchesExpected) ? 0 : 1;
    }

    private static void RenderTables(ProfileRunReport run, TextWriter stdout)
    {
        var renderer = new TableRenderer(stdout, color: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        foreach (var r in run.Profiles)
        {
            // The manifest's names and a child's error are text from outside too: escaped like the reports.
            stdout.Write(new StyledText(color: false).Line().Line($"=== profile {r.Profile} (expected {r.ExpectedVerdict}) ===").ToString());
            if (r.Report is { } report)
            {
                renderer.Render(report);
            }
            else
            {
                stdout.Write(new StyledText(color: false).Line($"  check failed: {r.Error}").ToString());
            }
        }

        var summary = new StyledText(color: false).Line().Line($"{"profile",-26} {"verdict",-16} {"expected",-16} match");
        foreach (var r in run.Profiles)
        {
            summary.Line($"{r.Profile,-26} {r.Verdict ?? "error",-16} {r.ExpectedVerdict,-16} {(r.MatchesExpected ? "yes" : "NO")}");
        }

        summary.Line($"{run.Profiles.Count(p => p.MatchesExpected)}/{run.Profiles.Count} profiles as expected, {run.ElapsedMilliseconds:F0} ms in all");
        stdout.Write(summary.ToString());
    }

    private static List<ManifestRow> ReadManifest(string path)
    {
        if (!string.IsNullOrEmpty(path) && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException(ExitCodes.Unavailable, $"manifest not found: {path} (run softhsm-config/provision.sh DIR first)");
        }

        var bytes = InputFiles.Read(path, "manifest", BoundedInput.MaxManifestBytes, ExitCodes.Unavailable);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: not a manifest (not UTF-8 text)");
        }

        var rows = new List<ManifestRow>();
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("profile\t", StringComparison.Ordinal))
            {
                continue;
            }

            var cols = line.Split('\t');
            if (cols.Length < 4)
            {
                throw new CliException(ExitCodes.Usage, $"{path}: expected profile, config, token_label, expected_verdict columns in: {(line.Length > 80 ? line[..80] + "..." : line)}");
            }

            rows.Add(new ManifestRow(cols[0], cols[1], cols[2], cols[3], cols.Length > 5 && cols[5].Length > 0 ? cols[5] : null));
        }

        return rows.Count > 0 ? rows : throw new CliException(ExitCodes.Usage, $"{path}: no profile in the manifest");
    }

    private static async Task<ProfileResult> CheckOneAsync(ManifestRow row, string module, string pinFile, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = await SelfProcess.RunAsync(
            ["check", "--module", row.Module ?? module, "--token", row.Label, "--format", "json", "--pin-file", pinFile],
            new Dictionary<string, string> { ["SOFTHSM2_CONF"] = row.Config },
            TimeSpan.FromSeconds(60),
            ct);
        TokenReport? report = null;
        string? error = null;
        try
        {
            report = exitCode is ExitCodes.Compatible or ExitCodes.Tls12Only or ExitCodes.Incompatible or ExitCodes.NoVisibleKey or ExitCodes.ClientDependent
                ? JsonSerializer.Deserialize(stdout, TokenReportReaderJsonContext.Default.TokenReport)
                : null;
        }
        catch (JsonException e)
        {
            error = "unreadable check output: " + e.Message;
        }

        error ??= report is null ? stderr.Trim() : null;
        var verdict = report?.Tokens.FirstOrDefault()?.Verdict;
        return new ProfileResult
        {
            Profile = row.Profile,
            Config = row.Config,
            ExpectedVerdict = row.Expected,
            Verdict = verdict,
            MatchesExpected = verdict == row.Expected,
            ExitCode = exitCode,
            Error = error,
            ElapsedMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
            Report = report,
        };
    }
}
