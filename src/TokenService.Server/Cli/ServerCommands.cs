using System.CommandLine;

namespace TokenService.Cli;

/// <summary>The commands of tokenservice-server (reached as `tokenservice probe-server|handshake|watch|serve|vcard|identify|cards|report|bench-watch|bench-probe`), each bound to a thin handler.</summary>
internal static class ServerCommands
{
    /// <summary>
    /// Every command of this program but `check` (which both programs have): the ones `tokenservice` hands over
    /// (Commands.ServerCommandLines names the same set; a unit test holds the two together).
    /// </summary>
    public static IEnumerable<Command> All() =>
        [ProbeServer(), Handshake(), Watch(), Serve(), Identify(), Cards(), Report(), Vcard(), BenchWatch(), BenchProbe()];

    public static Command ProbeServer()
    {
        var endpoint = new Argument<string>("HOST:PORT") { Description = "The server to probe; an IPv6 address in brackets ([::1]:8443)." };
        var format = OutputFormatOption.Create();
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds each of the two probe connections (TLS 1.3, then TLS 1.2) may take (default: 10).",
            DefaultValueFactory = _ => ProbeServerCommand.DefaultTimeoutSeconds,
        };
        var command = new Command("probe-server", "Read what a TLS server asks of client certificates: per TLS version, whether it is accepted, signature_algorithms in the server's order, signature_algorithms_cert, certificate_authorities.\nExit codes: 0 probed, 64 usage error, 69 unreachable or no TLS 1.3/1.2.")
        {
            endpoint, format, timeout,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => ProbeServerCommand.RunAsync(
            new ProbeServerCommand.Options(parse.GetValue(endpoint)!, parse.GetValue(format), parse.GetValue(timeout)),
            Console.Out,
            ct)));
        return command;
    }

    public static Command Handshake()
    {
        var server = new Option<string>("--server") { Description = "HOST:PORT of a TLS server that requires a client certificate.", Required = true };
        var tls = new Option<string>("--tls")
        {
            Description = "1.3 or 1.2: the only version offered.",
            DefaultValueFactory = _ => "1.3",
        };
        var module = Commands.Module();
        var token = new Option<string?>("--token") { Description = "The token's label (needed when the module has several tokens)." };
        var keyLabel = new Option<string?>("--key-label") { Description = "The private key's CKA_LABEL (needed when the token has several keys)." };
        var keyId = new Option<string?>("--key-id") { Description = "The private key's CKA_ID in hex." };
        var certFile = new Option<string?>("--cert-file") { Description = "Present this certificate (PEM or DER) instead of the token's; the prediction uses it too." };
        var serverCa = new Option<string?>("--server-ca") { Description = "Verify the server certificate against these CA certificates (PEM); without it any server certificate is accepted, and the output says so." };
        var serverSchemes = new Option<string?>("--server-schemes")
        {
            Description = "Predict against a server whose CertificateRequest lists these schemes, instead of a stock OpenSSL 3 server.",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds allowed for connecting and the handshake.",
            DefaultValueFactory = _ => 10,
        };
        var format = OutputFormatOption.Create();
        var (pinStdin, pinEnv, pinFile) = Commands.PinOptions();
        var command = new Command("handshake", """
            Make a real TLS client-auth handshake with the token's key (.NET SslStream over OpenSSL, the key through the
            pkcs11 engine), and show it next to the openssl-libp11 prediction for that TLS version.
            Success means the server accepted the client certificate: TLS 1.2, its Finished arrived; TLS 1.3, after the
            handshake it sent a record and no alert (or nothing within 3 s); an alert or a close is a rejection.
            Exit codes: 0 ok, as predicted; 3 failed, as predicted; 4 prediction and reality disagree; 7 the token
            refused the PIN (never retried); 64 usage error; 69 module, token, PIN source, engine or server unusable
            (unreachable, no client-certificate request, refused version); 70 internal error.
            """)
        {
            server, tls, module, token, keyLabel, keyId, certFile, serverCa, serverSchemes, timeout, format, pinStdin, pinEnv, pinFile,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => HandshakeCommand.RunAsync(
            new HandshakeCommand.Options(
                parse.GetValue(server)!,
                parse.GetValue(tls)!,
                parse.GetValue(module)!,
                parse.GetValue(token),
                parse.GetValue(keyLabel),
                parse.GetValue(keyId),
                parse.GetValue(certFile),
                parse.GetValue(serverCa),
                parse.GetValue(serverSchemes),
                parse.GetValue(format),
                parse.GetValue(timeout),
                parse.GetValue(pinStdin),
                parse.GetValue(pinEnv),
                parse.GetValue(pinFile)),
            Console.Out,
            Console.OpenStandardInput,
            TimeProvider.System,
            ct)));
        return command;
    }

    public static Command Watch()
    {
        var bindings = Bindings();
        var p11Kit = P11Kit();
        var command = new Command("watch", "Watch the PC/SC readers and show each card's verdict live (Ctrl-C quits). Without --bindings the demo bench is used.\nExit codes: 0 stopped, 69 PC/SC or bench unavailable, 78 invalid configuration.")
        {
            bindings, p11Kit,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => WatchCommand.RunAsync(new WatchCommand.Options(parse.GetValue(bindings), parse.GetValue(p11Kit)), ct)));
        return command;
    }

    public static Command Serve()
    {
        var listen = new Option<string?>("--listen")
        {
            Description = "HOST:PORT for the HTTP API (default 127.0.0.1:5077; a non-loopback address needs TOKENSERVICE__SERVE__APIKEY).",
        };
        var bindings = Bindings();
        var p11Kit = P11Kit();
        var command = new Command("serve", "Run the card watcher headless with the HTTP API (GET /api/readers, /api/history, /api/events; POST /api/check?reader=NAME).\nExit codes: 0 stopped, 69 PC/SC, bench or address unavailable, 78 invalid configuration.")
        {
            listen, bindings, p11Kit,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => ServeCommand.RunAsync(new ServeCommand.Options(parse.GetValue(listen), parse.GetValue(bindings), parse.GetValue(p11Kit)), ct)));
        return command;
    }

    /// <summary>The watcher benchmark (docs/benchmarks.md, "Watcher"): for developers, not in --help.</summary>
    public static Command BenchWatch()
    {
        var count = new Option<int>("--count") { Description = "Virtual insertions to time.", DefaultValueFactory = _ => 200 };
        var idle = new Option<int>("--idle-seconds") { Description = "How long to measure idle CPU.", DefaultValueFactory = _ => 60 };
        var noRestart = new Option<bool>("--no-restart") { Description = "Skip the pcscd restart (it needs root)." };
        var bindings = Bindings();
        var command = new Command("bench-watch", "Time card event -> published verdict over vpcd insertions, idle CPU, memory and recovery after a pcscd restart.")
        {
            count, idle, noRestart, bindings,
        };
        command.Hidden = true;
        command.SetAction((parse, ct) => Commands.GuardAsync(() => BenchWatchCommand.RunAsync(
            new Bench.WatchBenchmark.Options(parse.GetValue(count), TimeSpan.FromSeconds(parse.GetValue(idle)), !parse.GetValue(noRestart)),
            parse.GetValue(bindings),
            ct)));
        return command;
    }

    public static Command Vcard()
    {
        var kind = new Argument<string>("CARD") { Description = "piv (RSA-2048), piv-ec (P-256 and P-384) or jpki (RSA-2048, PKCS#1 v1.5 only)." };
        kind.AcceptOnlyFromAmong("piv", "piv-ec", "jpki");
        var reader = new Option<int>("--reader") { Description = "The vpcd reader: 0 (Virtual PCD 00 00) or 1 (Virtual PCD 00 01).", Required = true };
        var state = new Option<string?>("--state")
        {
            Description = "The card's state file (keys, certificates, PIN counters). Default: the demo card under .tokenservice/vcards, provisioned on first use.",
        };
        var command = new Command("vcard", "Insert a virtual PIV or JPKI card into a vpcd reader until Ctrl-C or SIGTERM (removal): OpenSC reads it through pcscd like a real card. `vcard family FAMILY-ID` inserts a card with a catalog family's ATR instead.\nExit codes: 0 removed, 64 usage error, 69 vpcd not listening or the demo CA unavailable, 75 the reader already holds a card.")
        {
            kind, reader, state,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => VcardCommand.RunAsync(
            new VcardCommand.Options(parse.GetValue(kind)!, parse.GetValue(reader), parse.GetValue(state)), Console.Out, TimeProvider.System, ct)));
        command.Subcommands.Add(FamilyCard());
        return command;
    }

    private static Command FamilyCard()
    {
        var family = new Argument<string>("FAMILY-ID") { Description = "A card family of the catalog (`tokenservice cards` lists them), e.g. yubikey-piv-opensc." };
        var reader = new Option<int>("--reader") { Description = "The vpcd reader: 0 (Virtual PCD 00 00) or 1 (Virtual PCD 00 01).", Required = true };
        var command = new Command(
            "family",
            "Insert a card with a catalog family's real ATR into a vpcd reader until Ctrl-C or SIGTERM: watch/serve's demo bench names it, probes it through that family's profile (its middleware's view over SoftHSM) and judges it.\nExit codes: 0 removed, 64 usage error (unknown family), 69 vpcd not listening, 75 the reader already holds a card.")
        {
            family, reader,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => FamilyCardCommand.RunAsync(
            new FamilyCardCommand.Options(parse.GetValue(family)!, parse.GetValue(reader)), Console.Out, Console.Error, TimeProvider.System, ct)));
        return command;
    }

    private static Option<bool> P11Kit() => new("--p11kit")
    {
        Description = "Read the cards no binding matches through OpenSC as p11-kit registers it (Locating:P11KitModule = opensc-pkcs11), in the slot named after the reader, without a PIN. Without --bindings: no demo bench.",
    };

    /// <summary>Probe latency through probe hosts, for the numbers in docs/benchmarks.md (eng/bench-probe.sh runs it).</summary>
    public static Command BenchProbe()
    {
        var bindings = new Option<string>("--bindings") { Description = "Bench bindings file (README \"Bench bindings\").", Required = true };
        var count = new Option<int>("--count") { Description = "Repeated probes per binding (default 200).", DefaultValueFactory = _ => 200 };
        var reader = new Option<string?>("--reader") { Description = "Only the bindings that match this reader name." };
        var command = new Command("bench-probe", "Time the first and repeated probes of each bench binding through a started probe host (internal).\nExit codes: 0 every probe completed, 64 usage error, 69 a probe did not complete.")
        {
            bindings, count, reader,
        };
        command.Hidden = true;
        command.SetAction((parse, ct) => Commands.GuardAsync(() => BenchProbeCommand.RunAsync(
            new BenchProbeCommand.Options(parse.GetValue(bindings)!, parse.GetValue(count), parse.GetValue(reader)),
            Console.Out,
            ct)));
        return command;
    }

    private static Option<string?> Bindings() => new("--bindings")
    {
        Description = "Bench bindings file: which module and token serve the card in each reader (README \"Bench bindings\"). Default: TokenService:Locating from the configuration, else the demo bench.",
    };

    public static Command Identify()
    {
        var atr = new Argument<string>("ATR") { Description = "The card's ATR in hex (blanks or colons allowed), as pcsc_scan or `watch` shows it." };
        var format = OutputFormatOption.Create();
        var database = new Option<string>("--database")
        {
            Description = "pcsc-tools' ATR list (a missing file is a warning).",
            DefaultValueFactory = _ => SmartCards.SmartcardListFile.DefaultPath,
        };
        var clients = ClientsOption.Create();
        var command = new Command("identify", "Name a card from its ATR (pcsc-tools' smartcard_list.txt) and give, for each catalog family it matches, the verdict (for the --clients targets) and client predictions for the family's typical keys.\nExit codes: 0 identified (even when nothing matched), 64 not an ATR or an unknown client stack.")
        {
            atr, format, database, clients,
        };
        command.SetAction((parse, _) => Commands.GuardAsync(() => CardsCommands.IdentifyAsync(
            new CardsCommands.IdentifyOptions(parse.GetValue(atr)!, parse.GetValue(format), parse.GetValue(database)!, parse.GetValue(clients)), Console.Out, TimeProvider.System)));
        return command;
    }

    public static Command Cards()
    {
        var format = OutputFormatOption.Create();
        var command = new Command("cards", "List the card-family catalog: middleware, mechanisms as it reports them, typical keys with the engine's verdict, sources.\nExit codes: 0, 64 usage error.")
        {
            format,
        };
        command.SetAction((parse, _) => Commands.GuardAsync(() => CardsCommands.ListAsync(parse.GetValue(format), Console.Out, TimeProvider.System)));
        return command;
    }

    public static Command Report()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "check --format json documents: files, folders (every *.json below them) or - (JSON lines on standard input).",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "table (for a person), json (contract v1, for machines) or html (one self-contained page).",
            DefaultValueFactory = _ => "table",
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Documents parsed at once (default: processor count).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("report", "Summarise many check reports (one per device): devices and cards by verdict, model and cause; how many cards each server-side and client-side fix makes work; the cards only a re-issue fixes. Inputs that are not check documents are counted and named.\nExit codes: 0 summary printed, 64 usage error.")
        {
            inputs, format, parallel,
        };
        command.SetAction((parse, ct) => Commands.GuardAsync(() => ReportCommand.RunAsync(
            new ReportCommand.Options(parse.GetValue(inputs)!, parse.GetValue(format)!, parse.GetValue(parallel)),
            Console.Out,
            Console.OpenStandardInput(),
            ct)));
        return command;
    }
}
