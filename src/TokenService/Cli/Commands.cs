using System.CommandLine;

namespace TokenService.Cli;

/// <summary>The command-line surface: options and their help, each bound to a thin handler.</summary>
internal static class Commands
{
    public static Command Check()
    {
        var module = new Option<string>("--module")
        {
            Description = "PKCS#11 module to load (default: $TOKENSERVICE_MODULE, else SoftHSM2).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TOKENSERVICE_MODULE") ?? CheckCommand.DefaultModule,
        };
        var token = new Option<string?>("--token") { Description = "Check only the token with this label (default: every token present)." };
        var format = Format();
        var serverSchemes = new Option<string?>("--server-schemes")
        {
            Description = "Predict against a server whose CertificateRequest lists these schemes (comma-separated IANA names or 0xNNNN), instead of a stock OpenSSL 3 server.",
        };
        var (pinStdin, pinEnv, pinFile) = PinOptions();
        var selfTest = new Option<bool>("--self-test")
        {
            Description = "Prove the verdict: sign what TLS would sign with every key, through every route the verdict names, and verify each signature (needs the PIN; one more login). A route the token refuses makes its scheme unusable.",
        };
        var command = new Command("check", "Inventory a PKCS#11 module and give each key's TLS 1.3 / 1.2 verdict per client stack.\nExit codes: 0 compatible, 1 TLS 1.2 only, 2 incompatible, 64 usage error, 69 module/token/PIN-source error.")
        {
            module, token, format, serverSchemes, pinStdin, pinEnv, pinFile, selfTest,
        };
        command.SetAction(parse => Guard(() => CheckCommand.Run(
            new CheckCommand.Options(
                parse.GetValue(module)!,
                parse.GetValue(token),
                parse.GetValue(format)!,
                parse.GetValue(serverSchemes),
                parse.GetValue(pinStdin),
                parse.GetValue(pinEnv),
                parse.GetValue(pinFile),
                parse.GetValue(selfTest)),
            Console.Out,
            Console.In,
            TimeProvider.System)));
        return command;
    }

    public static Command Profiles()
    {
        var manifest = new Argument<string>("manifest") { Description = "manifest.tsv written by softhsm-config/provision.sh." };
        var format = Format();
        var pinFile = new Option<string?>("--pin-file") { Description = "File holding the demo tokens' user PIN (default: 'pin' beside the manifest)." };
        var module = new Option<string>("--module")
        {
            Description = "PKCS#11 module (default: SoftHSM2).",
            DefaultValueFactory = _ => CheckCommand.DefaultModule,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Checks run at once (default: processor count).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("profiles", "Check every SoftHSM profile of a manifest (one child process each) and compare with the expected verdicts.\nExit codes: 0 all as expected, 1 some differ, 64 usage error, 69 manifest missing.")
        {
            manifest, format, pinFile, module, parallel,
        };
        command.SetAction((parse, ct) => GuardAsync(() => ProfilesCommand.RunAsync(
            new ProfilesCommand.Options(parse.GetValue(manifest)!, parse.GetValue(format)!, parse.GetValue(pinFile), parse.GetValue(module)!, parse.GetValue(parallel)),
            Console.Out,
            Console.Error,
            ct)));
        return command;
    }

    private static Option<string> Format() => new("--format")
    {
        Description = "table (for a person) or json (contract v1, for machines).",
        DefaultValueFactory = _ => "table",
    };

    /// <summary>The only ways a PIN enters: never as an option value, which the process list would show.</summary>
    private static (Option<bool> Stdin, Option<string?> Env, Option<string?> File) PinOptions() =>
    (
        new Option<bool>("--pin-stdin") { Description = "Read the user PIN from the first line of standard input." },
        new Option<string?>("--pin-env") { Description = "Read the user PIN from this environment variable." },
        new Option<string?>("--pin-file") { Description = "Read the user PIN from the first line of this file." }
    );

    private static int Guard(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"tokenservice: {e.Message}");
            return e.ExitCode;
        }
    }

    private static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"tokenservice: {e.Message}");
            return e.ExitCode;
        }
    }
}
