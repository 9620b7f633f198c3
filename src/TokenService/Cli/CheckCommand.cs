using System.Security.Cryptography;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.SelfTest;
using TokenService.Text;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Cli;

/// <summary>
/// `check`: inventory one module, evaluate every key against a server model (stock OpenSSL 3, the lists given with
/// --server-schemes, or a real server probed with --server), print the report, exit with the verdict.
/// </summary>
/// <remarks>
/// The server probe (--server) is passed in: it links BouncyCastle's TLS client, which only tokenservice-server
/// carries; the lean `tokenservice` hands a `check --server` command line over to it (docs/benchmarks.md).
/// </remarks>
internal static class CheckCommand
{
    public const string DefaultModule = "/usr/lib/softhsm/libsofthsm2.so";

    internal sealed record Options(
        string Module,
        string? TokenLabel,
        OutputFormat Format,
        string? ServerSchemes,
        string? Server,
        bool PinStdin,
        string? PinEnv,
        string? PinFile,
        bool SelfTest = false,
        ClientTargets? Clients = null);

    /// <summary>Probes a server, within the probe's own timeout, and turns what it asks for into the model to predict against (`probe-server`).</summary>
    public delegate Task<ServerModel> ServerProber(ServerEndpoint endpoint, CancellationToken cancellationToken);

    public static async Task<int> RunAsync(
        Options options, TextWriter stdout, TextWriter stderr, Func<Stream> stdin, TimeProvider time, ServerProber? probeServer, CancellationToken cancellationToken)
    {
        TokenLabelOption.Validate(options.TokenLabel);
        if (options.Server is not null && options.ServerSchemes is not null)
        {
            throw new CliException(ExitCodes.Usage, "--server and --server-schemes exclude each other: the probed server's lists are the ones to predict against");
        }

        var endpoint = options.Server is null ? null : ServerEndpoint.Parse(options.Server, "--server");
        var server = ServerSchemesOption.Parse(options.ServerSchemes);
        if (!File.Exists(options.Module))
        {
            throw new CliException(ExitCodes.Unavailable, $"PKCS#11 module not found: {options.Module} (install softhsm2, or give --module PATH)");
        }

        if (endpoint is not null)
        {
            server = probeServer is null
                ? throw new InvalidOperationException("--server needs the server probe (tokenservice-server)")
                : await probeServer(endpoint, cancellationToken);
        }

        var pin = PinOptions.Read(options.PinStdin, options.PinEnv, options.PinFile, stdin, stderr);
        ModuleSnapshot snapshot;
        SelfTestReport? selfTest = null;
        try
        {
            snapshot = Pkcs11Inventory.Read(options.Module, new InventoryRequest { TokenLabel = options.TokenLabel, Pin = pin });
            if (snapshot.Tokens.IsEmpty)
            {
                throw new CliException(ExitCodes.Unavailable, options.TokenLabel is null
                    ? $"no token present in any slot of {options.Module}"
                    : $"no token labelled '{options.TokenLabel}' in {options.Module}");
            }

            if (!snapshot.Tokens.Any(VerdictEngine.IsInitialized))
            {
                throw new CliException(ExitCodes.Unavailable,
                    $"no initialized token in {options.Module}: only {string.Join(", ", snapshot.Tokens.Select(t => $"slot {t.SlotId}"))}, without CKF_TOKEN_INITIALIZED (nothing to check)");
            }

            if (options.SelfTest)
            {
                // Signs only where the inventory's login with this PIN succeeded (SelfTestRun), so a wrong PIN
                // costs the token one try, not two.
                selfTest = SelfTestRun.Run(snapshot, server, pin, request => Pkcs11Signer.SignAll(options.Module, request), RandomNumberGenerator.Fill);
            }
        }
        catch (Pkcs11ModuleException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
        finally
        {
            if (pin is not null)
            {
                CryptographicOperations.ZeroMemory(pin);
            }
        }

        var now = time.GetUtcNow();
        var judged = VerdictEngine.Judge(snapshot, server, now, selfTest, options.Clients);
        Write(ContractMapping.Report(judged, server, now, selfTest), options.Format, stdout);
        foreach (var refused in judged.Tokens.Where(t => t.Token.Login == LoginOutcome.Failed))
        {
            await stderr.WriteLineAsync(
                $"tokenservice: token '{TerminalEscaper.Escape(refused.Token.Label)}' refused the PIN ({TerminalEscaper.Escape(refused.Token.LoginMessage)}); not retried: its verdict rests on what it shows without login");
        }

        return ExitCodes.ForCheck(judged);
    }

    public static void Write(TokenReport report, OutputFormat format, TextWriter stdout)
    {
        switch (format)
        {
            case OutputFormat.Json:
                stdout.WriteLine(JsonSerializer.Serialize(report, CheckReportJsonContext.Default.TokenReport));
                break;
            case OutputFormat.Table:
                new TableRenderer(stdout, UseColor(stdout)).Render(report);
                break;
        }
    }

    private static bool UseColor(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("NO_COLOR") is null;
}
