using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Drivers.OpenSsl;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Handshake;
using TokenService.Input;
using TokenService.Reporting;
using TokenService.Verdicts;

namespace TokenService.Cli;

/// <summary>
/// `handshake`: a real TLS client-auth handshake from this process with the token's key (SslStream over OpenSSL,
/// key through the pkcs11 engine), next to the engine's `openssl-libp11` prediction for that version.
/// </summary>
internal static class HandshakeCommand
{
    /// <summary>The stack whose prediction the real handshake is compared with (docs/tls-client-auth.md §3: .NET on Linux is OpenSSL).</summary>
    public const string PredictedStack = "openssl-libp11";

    /// <summary>TLS 1.3: how long to wait after the client's Finished for the server's verdict on the certificate.</summary>
    public static readonly TimeSpan Tls13Wait = TimeSpan.FromSeconds(3);

    internal sealed record Options(
        string Server,
        string Tls,
        string Module,
        string? TokenLabel,
        string? KeyLabel,
        string? KeyId,
        string? CertFile,
        string? ServerCa,
        string? ServerSchemes,
        OutputFormat Format,
        int TimeoutSeconds,
        bool PinStdin,
        string? PinEnv,
        string? PinFile);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, Func<Stream> stdin, TimeProvider time, CancellationToken cancellationToken)
    {
        TokenLabelOption.Validate(options.TokenLabel);
        var version = options.Tls switch
        {
            "1.3" => TlsVersion.Tls13,
            "1.2" => TlsVersion.Tls12,
            _ => throw new CliException(ExitCodes.Usage, $"--tls: expected 1.3 or 1.2, got '{options.Tls}'"),
        };
        var (host, port) = ParseEndpoint(options.Server);
        if (options.KeyLabel is not null && options.KeyId is not null)
        {
            throw new CliException(ExitCodes.Usage, "give the key one way only: --key-label or --key-id");
        }

        var keyId = options.KeyId is null ? null : ParseHex(options.KeyId);
        if (options.TimeoutSeconds is < 1 or > 600)
        {
            throw new CliException(ExitCodes.Usage, "--timeout: expected 1 to 600 seconds");
        }

        var server = ServerSchemesOption.Parse(options.ServerSchemes);
        var certFile = options.CertFile is null ? null : LoadCertificates(options.CertFile, "--cert-file")[0];
        var serverTrust = options.ServerCa is null ? null : LoadCertificates(options.ServerCa, "--server-ca");
        if (!OperatingSystem.IsLinux())
        {
            throw new CliException(ExitCodes.Unavailable, "handshake needs Linux: .NET's SslStream over OpenSSL 3 with the pkcs11 engine");
        }

        if (!File.Exists(options.Module))
        {
            throw new CliException(ExitCodes.Unavailable, $"PKCS#11 module not found: {options.Module} (install softhsm2, or give --module PATH)");
        }

        var pin = PinOptions.Read(options.PinStdin, options.PinEnv, options.PinFile, stdin, Console.Error)
            ?? throw new CliException(ExitCodes.Usage, "handshake signs with the token key and needs the user PIN: --pin-stdin, --pin-env NAME or --pin-file PATH");
        try
        {
            return await RunWithPinAsync(options, version, host, port, keyId, server, certFile, serverTrust, pin, stdout, time, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunWithPinAsync(
        Options options, TlsVersion version, string host, int port, byte[]? keyId, ServerModel server,
        X509Certificate2? certFile, X509Certificate2Collection? serverTrust, byte[] pin, TextWriter stdout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        // The module reads SOFTHSM2_CONF with getenv(3) in C_Initialize. One inherited from our environment is
        // already there (checked: .NET reads environ at start); this only matters if something set it in .NET's copy.
        NativeEnvironment.Propagate("SOFTHSM2_CONF");

        ModuleSnapshot snapshot;
        try
        {
            snapshot = Pkcs11Inventory.Read(options.Module, new InventoryRequest { TokenLabel = options.TokenLabel, Pin = pin });
        }
        catch (Pkcs11ModuleException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }

        var token = SelectToken(snapshot, options);
        var key = SelectKey(token, options.KeyLabel, keyId);
        if (certFile is not null)
        {
            // Predict with the certificate that will be sent.
            token = token with
            {
                Certificates = [new CertificateSnapshot { Handle = 0, Id = key.Id, Label = "--cert-file", Value = [.. certFile.RawData] }],
            };
        }

        // The engine's verdict for this very key (the snapshot object chosen above), not its place in a list.
        var judged = VerdictEngine.JudgeToken(token, server, time.GetUtcNow()).Keys.Single(k => ReferenceEquals(k.Key, key));
        var clients = ContractMapping.Client(judged.Evaluation.Clients.Single(c => c.Stack.Name == PredictedStack));
        var predicted = version == TlsVersion.Tls13 ? clients.Tls13 : clients.Tls12;
        var certificate = judged.Facts.CertificateObject?.Value;

        HandshakeOutcome real;
        if (certificate is not { IsDefaultOrEmpty: false } der)
        {
            real = HandshakeOutcome.Failed(
                "no certificate for this key on the token (give --cert-file)", Verdicts.Clients.ClientCauses.NoCertificate, HandshakeEvidence.NotAttempted);
        }
        else
        {
            var target = new TokenKey(options.Module, Pkcs11KeyUri.PrivateKey(token.Label, key.Label, key.Id.AsSpan()), key.Kind, der.AsMemory());
            real = await ProveAsync(target, pin, version, host, port, serverTrust, options.TimeoutSeconds, cancellationToken);
        }

        var result = new HandshakeReport
        {
            Tls = TlsVersions.Name(version),
            Ok = real.Ok,
            Scheme = real.Scheme is { } s ? ContractMapping.SchemeName(s) : null,
            Error = real.Error,
            Cause = real.Cause,
            Predicted = HandshakeComparison.Prediction(predicted, PredictedStack, server.Source),
            Agrees = HandshakeComparison.Agrees(real, predicted),
            Stack = HandshakeComparison.RealStack,
            Evidence = real.Evidence,
            Server = options.Server,
            ServerCertificateVerified = serverTrust is not null,
            Token = token.Label,
            Key = new HandshakeKeyEntry
            {
                Label = key.Label,
                Id = Convert.ToHexStringLower(key.Id.AsSpan()),
                CertificateSource = options.CertFile ?? "token",
            },
        };
        if (options.Format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(result, ContractsJsonContext.Default.HandshakeReport));
        }
        else
        {
            new HandshakeRenderer(stdout).Render(result);
        }

        return !result.Agrees ? ExitCodes.Disagreement : result.Ok ? ExitCodes.HandshakeOk : ExitCodes.HandshakeFailedAsPredicted;
    }

    [SupportedOSPlatform("linux")]
    private static async Task<HandshakeOutcome> ProveAsync(
        TokenKey target, byte[] pin, TlsVersion version, string host, int port, X509Certificate2Collection? serverTrust,
        int timeoutSeconds, CancellationToken cancellationToken)
    {
        try
        {
            return await TokenKeyHandshake.RunAsync(
                target,
                pin,
                certificate => new HandshakeRequest(host, port, version, certificate, serverTrust, TimeSpan.FromSeconds(timeoutSeconds), Tls13Wait),
                cancellationToken);
        }
        catch (OpenSslEngineException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
        catch (ServerUnavailableException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }
    }

    private static TokenSnapshot SelectToken(ModuleSnapshot snapshot, Options options)
    {
        // An uninitialized token (SoftHSM's free slot) holds no key: it is no candidate.
        var tokens = snapshot.Tokens.Where(VerdictEngine.IsInitialized).ToList();
        if (tokens.Count == 0)
        {
            throw new CliException(ExitCodes.Unavailable, options.TokenLabel is null
                ? $"no initialized token present in any slot of {options.Module}"
                : $"no initialized token labelled '{options.TokenLabel}' in {options.Module}");
        }

        if (tokens.Count > 1)
        {
            throw new CliException(ExitCodes.Usage,
                $"{tokens.Count} tokens present ({string.Join(", ", tokens.Select(t => $"'{t.Label}'"))}): choose one with --token LABEL");
        }

        var token = tokens[0];
        return token.Login switch
        {
            LoginOutcome.LoggedIn => token,
            LoginOutcome.Failed => throw new CliException(ExitCodes.LoginFailed,
                $"token '{token.Label}' refused the PIN ({token.LoginMessage}); no handshake attempted, no further try made"),
            _ => throw new CliException(ExitCodes.Unavailable,
                $"no login to token '{token.Label}' ({token.LoginMessage ?? "refused"}); no handshake attempted"),
        };
    }

    private static PrivateKeySnapshot SelectKey(TokenSnapshot token, string? label, byte[]? id)
    {
        var keys = token.PrivateKeys;
        var matches = keys.Where(k => (label is null || k.Label == label) && (id is null || k.Id.AsSpan().SequenceEqual(id))).ToList();
        string Listing() => string.Join(", ", keys.Select(k => $"'{k.Label}' (id {Convert.ToHexStringLower(k.Id.AsSpan())})"));
        return matches.Count switch
        {
            1 => matches[0],
            0 when keys.IsEmpty => throw new CliException(ExitCodes.Unavailable, $"token '{token.Label}' holds no private key"),
            0 => throw new CliException(ExitCodes.Unavailable, $"no such private key on token '{token.Label}'; it holds {Listing()}"),
            _ => throw new CliException(ExitCodes.Usage, $"token '{token.Label}' holds {matches.Count} private keys ({Listing()}): choose one with --key-label or --key-id"),
        };
    }

    internal static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        var host = colon > 0 ? endpoint[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        var bareIpv6 = host.Contains(':', StringComparison.Ordinal) && !endpoint.StartsWith('[');
        if (host.Length == 0 || bareIpv6
            || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new CliException(ExitCodes.Usage, $"--server: expected HOST:PORT (IPv6 as [ADDRESS]:PORT), got '{endpoint}'");
        }

        return (host, port);
    }

    private static byte[] ParseHex(string hex)
    {
        var text = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        try
        {
            return text.Length is > 0 and <= 256 ? Convert.FromHexString(text) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new CliException(ExitCodes.Usage, $"--key-id: expected hex digits (CKA_ID), got '{hex}'");
        }
    }

    /// <summary>PEM (one or more certificates) or one DER certificate, read with a bound on the file's size.</summary>
    internal static X509Certificate2Collection LoadCertificates(string path, string option)
    {
        var bytes = InputFiles.Read(path, option, BoundedInput.MaxCertificateFileBytes, ExitCodes.Usage);
        try
        {
            var all = new X509Certificate2Collection();
            var pem = System.Text.Encoding.UTF8.GetString(bytes);
            if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                all.ImportFromPem(pem);
            }
            else if (bytes.Length > 0)
            {
                all.Add(X509CertificateLoader.LoadCertificate(bytes));
            }

            return all.Count > 0 ? all : throw new CryptographicException("no certificate in the file");
        }
        catch (CryptographicException e)
        {
            throw new CliException(ExitCodes.Usage, $"{option}: cannot read a certificate from {path}: {e.Message}");
        }
    }
}
