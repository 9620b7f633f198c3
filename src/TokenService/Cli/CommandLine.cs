using System.CommandLine;
using TokenService.Text;

namespace TokenService.Cli;

/// <summary>
/// Parses and runs a command line, for both programs: parse errors are one line each on stderr and exit 64
/// (without echoing what was not understood: it may be a secret typed as `--pin SECRET`); a
/// <see cref="CliException"/> is one line and its exit code; anything else is a bug, one line and exit 70
/// (EX_SOFTWARE), never a stack trace that a bench reading exit codes would take for a verdict (issue 9 §3).
/// </summary>
internal static class CommandLine
{
    /// <summary>Option-argument delimiters System.CommandLine accepts (`--name=value`, `--name:value`).</summary>
    private static readonly char[] ArgumentDelimiters = ['=', ':'];

    public static async Task<int> RunAsync(RootCommand root, string program, string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var line in ErrorLines(parsed).Distinct())
            {
                await error.WriteLineAsync($"{program}: {TerminalEscaper.Escape(line)}");
            }

            await error.WriteLineAsync($"Run '{program} --help' for usage.");
            return ExitCodes.Usage;
        }

        return await GuardAsync(() => parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }), program, error);
    }

    /// <summary>Runs a command's work: a <see cref="CliException"/> or any unexpected exception becomes one line on stderr.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> run, string program = "tokenservice", TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            return await run();
        }
        catch (CliException e)
        {
            await error.WriteLineAsync($"{program}: {TerminalEscaper.Escape(e.Message)}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM while a command waited: nothing went wrong, and nothing was decided.
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"{program}: internal error ({e.GetType().Name}): {TerminalEscaper.Escape(OneLine(e.Message))}; please report it");
            return ExitCodes.Internal;
        }
    }

    /// <summary>
    /// The parse errors, with the text of any token the parser did not understand left out: an unknown option is
    /// named (without a value given with `=`), any other unexpected token only counted.
    /// </summary>
    internal static IEnumerable<string> ErrorLines(ParseResult parsed)
    {
        var unmatched = parsed.UnmatchedTokens;
        var unexpected = 0;
        foreach (var parseError in parsed.Errors)
        {
            var token = unmatched.FirstOrDefault(t => parseError.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null)
            {
                yield return parseError.Message;
            }
            else if (token.StartsWith('-'))
            {
                var name = token.Split(ArgumentDelimiters, 2)[0];
                yield return $"unknown option '{name}' (a PIN is never taken on the command line: --pin-stdin, --pin-env NAME or --pin-file PATH)";
            }
            else
            {
                unexpected++;
                yield return $"unexpected argument (not shown){(unexpected > 1 ? $" #{unexpected}" : "")}";
            }
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
