using System.CommandLine;

namespace TokenService.Cli;

/// <summary>The command-line surface: options and their help, each bound to a thin handler.</summary>
internal static class Commands
{
    /// <summary>
    /// `check`. Without <paramref name="probeServer"/> (the lean program), a command line with --server is handed to
    /// tokenservice-server, which has the server probe.
    /// </summary>
    public static Command Check(CheckCommand.ServerProber? probeServer)
    {
        var module = Module();
        var token = new Option<string?>("--token") { Description = "Check only the token with this label (default: every token present)." };
        var format = OutputFormatOption.Create();
        var serverSchemes = new Option<string?>("--server-schemes")
        {
            Description = "Predict against a server whose CertificateRequest lists these schemes (comma-separated IANA names or 0xNNNN), instead of a stock OpenSSL 3 server.",
        };
        var server = new Option<string?>("--server")
        {
            Description = "Probe this server (HOST:PORT) first and predict against its CertificateRequest: its TLS 1.3 and 1.2 lists, the versions it accepts, the CAs it names. Excludes --server-schemes.",
        };
        var (pinStdin, pinEnv, pinFile) = PinOptions();
        var selfTest = new Option<bool>("--self-test")
        {
            Description = "Prove the verdict: sign what TLS would sign with every key, through every route the verdict names, and verify each signature (needs the PIN; one more login). A route the token refuses makes its scheme unusable.",
        };
        var clients = ClientsOption.Create();
        var command = new Command("check", "Inventory a PKCS#11 module and give each key's TLS 1.3 / 1.2 verdict per client stack.\nExit codes: 0 compatible (every target client completes TLS 1.3), 1 TLS 1.2 only (every one completes at least TLS 1.2), 2 incompatible, 5 no visible key (give the PIN), 6 client-dependent (some target clients fail in both versions), 7 a token refused the PIN (never retried; the report is printed), 64 usage error, 69 module/token/PIN-source error or server unreachable, 70 internal error.")
        {
            module, token, format, serverSchemes, server, pinStdin, pinEnv, pinFile, selfTest, clients,
        };
        command.SetAction((parse, ct) => parse.GetValue(server) is not null && probeServer is null
            ? GuardAsync(() => ServerProcess.RunAsync([.. parse.Tokens.Select(t => t.Value)]))
            : GuardAsync(() => CheckCommand.RunAsync(
            new CheckCommand.Options(
                parse.GetValue(module)!,
                parse.GetValue(token),
                parse.GetValue(format),
                parse.GetValue(serverSchemes),
                parse.GetValue(server),
                parse.GetValue(pinStdin),
                parse.GetValue(pinEnv),
                parse.GetValue(pinFile),
                parse.GetValue(selfTest),
                parse.GetValue(clients)!),
            Console.Out,
            Console.Error,
            Console.OpenStandardInput,
            TimeProvider.System,
            probeServer,
            ct)));
        return command;
    }

    public static Command Profiles()
    {
        var manifest = new Argument<string>("manifest") { Description = "manifest.tsv written by softhsm-config/provision.sh." };
        var format = OutputFormatOption.Create();
        var pinFile = new Option<string?>("--pin-file") { Description = "File holding the demo tokens' user PIN (default: 'pin' beside the manifest)." };
        var module = new Option<string>("--module")
        {
            Description = "PKCS#11 module for rows whose manifest names none (default: SoftHSM2; a card family's row names its view, p11view.so).",
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
            new ProfilesCommand.Options(parse.GetValue(manifest)!, parse.GetValue(format), parse.GetValue(pinFile), parse.GetValue(module)!, parse.GetValue(parallel)),
            Console.Out,
            Console.Error,
            ct)));
        return command;
    }

    /// <summary>`--module`, shared with the server's `handshake`.</summary>
    internal static Option<string> Module() => new("--module")
    {
        Description = "PKCS#11 module to load (default: $TOKENSERVICE_MODULE, else SoftHSM2).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TOKENSERVICE_MODULE") ?? CheckCommand.DefaultModule,
    };

    /// <summary>
    /// The commands that live in tokenservice-server (<see cref="ServerProcess"/>), listed here for --help:
    /// Program hands their command lines over before parsing (<see cref="ServerProcess.Commands"/> is made from
    /// this list), so the server parses and documents them.
    /// </summary>
    internal static readonly IReadOnlyList<(string Name, string Summary, bool Hidden)> ServerCommandLines =
    [
        ("probe-server", "Read what a TLS server asks of client certificates, per TLS version. Options: tokenservice probe-server --help.", false),
        ("handshake", "Make a real TLS client-auth handshake with the token's key and compare it with the prediction. Options: tokenservice handshake --help.", false),
        ("watch", "Watch the PC/SC readers and show each card's verdict live (Ctrl-C quits). Options: tokenservice watch --help.", false),
        ("serve", "Run the card watcher headless with the HTTP API for the fleet. Options: tokenservice serve --help.", false),
        ("identify", "Name a card from its ATR and give each matching catalog family's verdict. Options: tokenservice identify --help.", false),
        ("cards", "List the card-family catalog with the engine's verdict for each family's typical keys. Options: tokenservice cards --help.", false),
        ("report", "Summarise many check reports (one per device) for a fleet. Options: tokenservice report --help.", false),
        ("vcard", "Insert a virtual PIV or JPKI card, or a card with a catalog family's ATR (vcard family ID), into a vpcd reader until stopped. Options: tokenservice vcard --help.", false),
        ("bench-watch", "The watcher benchmark (docs/benchmarks.md).", true),
        ("bench-probe", "Probe latency through probe hosts (docs/benchmarks.md).", true),
    ];

    /// <summary>One command per <see cref="ServerCommandLines"/> entry, for --help.</summary>
    public static IEnumerable<Command> Server() => ServerCommandLines.Select(line => Forwarded(line.Name, line.Summary, line.Hidden));

    /// <summary>The probe host: a child process of the service, not a command for people.</summary>
    public static Command ProbeHost()
    {
        var command = new Command("probe-host", "Serve PKCS#11 probe requests as line-delimited JSON on standard input and output (internal).")
        {
            Hidden = true,
        };
        command.SetAction((_, ct) => ProbeHostCommand.RunAsync(ct));
        return command;
    }


    /// <summary>The only ways a PIN enters: never as an option value, which the process list would show.</summary>
    internal static (Option<bool> Stdin, Option<string?> Env, Option<string?> File) PinOptions() =>
    (
        new Option<bool>("--pin-stdin") { Description = "Read the user PIN from the first line of standard input." },
        new Option<string?>("--pin-env") { Description = "Read the user PIN from this environment variable." },
        new Option<string?>("--pin-file") { Description = "Read the user PIN from the first line of this file." }
    );

    private static Command Forwarded(string name, string description, bool hidden)
    {
        var command = new Command(name, description) { Hidden = hidden, TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, _) => GuardAsync(() => ServerProcess.RunAsync([.. parse.Tokens.Select(t => t.Value)])));
        return command;
    }

    /// <summary>See <see cref="CommandLine.GuardAsync"/>: the one place where a command's failure becomes a line and a code.</summary>
    internal static Task<int> GuardAsync(Func<Task<int>> run) => CommandLine.GuardAsync(run);
}
