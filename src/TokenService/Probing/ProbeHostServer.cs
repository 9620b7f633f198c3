using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Pins;
using TokenService.Reporting;
using TokenService.Tls;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Probing;

/// <summary>
/// The child side of out-of-process probing (`tokenservice probe-host`): reads one JSON request per line, reads
/// and evaluates the token, writes one JSON response per line, one request at a time. Modules stay loaded
/// between requests (<see cref="Pkcs11Modules"/>), so a repeated probe costs one inventory. The login state
/// of a module belongs to the process (PKCS#11 v2.40 §5.6), and requests here never overlap.
/// </summary>
internal sealed class ProbeHostServer(Func<string, InventoryRequest, ModuleSnapshot> readInventory, TimeProvider time)
{
    private readonly Dictionary<string, ServerModel> servers = new(StringComparer.Ordinal);

    /// <summary>
    /// Serves until <paramref name="input"/> ends and every request read has been answered. When the answers
    /// take longer than <paramref name="drainTime"/> after the input ended (the parent went away while a module
    /// call hangs), <paramref name="abandon"/> is called: the command exits the process there, since nobody is
    /// left to read the answer and the call may never return.
    /// </summary>
    public async Task RunAsync(TextReader input, Stream output, TimeSpan drainTime, Action abandon, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var serving = Task.Run(
            async () =>
            {
                await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    var started = time.GetTimestamp();
                    if (!TryRead(line, out var request, out var refusal))
                    {
                        await WriteAsync(output, refusal, cancellationToken);
                        continue;
                    }

                    if (request.Module is not null)
                    {
                        // Tells the parent this request reached a live host: should the host die from here on, the
                        // module did it, and the parent must not simply send the request again.
                        await WriteAsync(output, new ProbeHostResponse { Id = request.Id, Status = ProbeHostStatus.Accepted }, cancellationToken);
                    }

                    await WriteAsync(output, Handle(request, started), cancellationToken);
                }
            },
            cancellationToken);

        try
        {
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                lines.Writer.TryWrite(line);
            }
        }
        finally
        {
            lines.Writer.TryComplete();
        }

        if (await Task.WhenAny(serving, Task.Delay(drainTime, time, cancellationToken)) != serving)
        {
            abandon();
        }

        await serving;
    }

    /// <summary>Answers one request line; never throws: every failure is a response.</summary>
    public ProbeHostResponse Handle(string line)
    {
        var started = time.GetTimestamp();
        return TryRead(line, out var request, out var refusal) ? Handle(request, started) : refusal;
    }

    private ProbeHostResponse Handle(ProbeHostRequest request, long started)
    {
        ProbeHostResponse response;
        try
        {
            response = request.Module is null
                ? new ProbeHostResponse { Status = ProbeHostStatus.Ready, ProcessId = Environment.ProcessId }
                : Probe(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug here must not take the host down with the module it keeps loaded (issue 9 §3): the parent
            // gets an answer it already knows how to show, and the host serves the next request.
            response = new ProbeHostResponse
            {
                Status = ProbeHostStatus.ModuleFailed,
                Error = $"probe host: unexpected {e.GetType().Name}: {e.Message}",
            };
        }

        return response with { Id = request.Id, ElapsedMilliseconds = time.GetElapsedTime(started).TotalMilliseconds };
    }

    private static bool TryRead(string line, [NotNullWhen(true)] out ProbeHostRequest? request, out ProbeHostResponse refusal)
    {
        string? error;
        try
        {
            request = JsonSerializer.Deserialize(line, ProbeProtocolJsonContext.Default.ProbeHostRequest);
            error = request is null ? "unreadable request: null" : null;
        }
        catch (JsonException e)
        {
            request = null;
            error = "unreadable request: " + e.Message;
        }

        refusal = new ProbeHostResponse { Status = ProbeHostStatus.BadRequest, Error = error };
        return request is not null;
    }

    private ProbeHostResponse Probe(ProbeHostRequest request)
    {
        ServerModel server;
        byte[]? pin;
        ClientTargets? targets = null;
        if (request.Clients is { } clients && (targets = ClientTargets.TryParse(clients.Split(','), out var clientsError)) is null)
        {
            return new ProbeHostResponse { Status = ProbeHostStatus.BadRequest, Error = "clients: " + clientsError };
        }

        try
        {
            server = Server(request.ServerSchemes);
            pin = PinSource.Read(fromStdin: false, envName: null, filePath: request.PinFile, () => Stream.Null, Console.Error);
        }
        catch (FormatException e)
        {
            return new ProbeHostResponse { Status = ProbeHostStatus.BadRequest, Error = "serverSchemes: " + e.Message };
        }
        catch (PinSourceException e)
        {
            return new ProbeHostResponse { Status = ProbeHostStatus.BadRequest, Error = e.Message };
        }

        ModuleSnapshot snapshot;
        try
        {
            snapshot = readInventory(request.Module!, new InventoryRequest
            {
                TokenLabel = request.TokenLabel,
                SlotDescription = request.SlotDescription,
                Pin = pin,
            });
        }
        catch (Pkcs11ModuleException e)
        {
            return new ProbeHostResponse
            {
                Status = e.Failure == Pkcs11Failure.TokenRemoved ? ProbeHostStatus.RemovedDuringProbe : ProbeHostStatus.ModuleFailed,
                Error = e.Message,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Pkcs11Interop's own checks (a malformed answer from the module) end up here: the module's fault,
            // and the host stays up for the next request.
            return new ProbeHostResponse
            {
                Status = ProbeHostStatus.ModuleFailed,
                Error = $"PKCS#11 module {request.Module}: {e.GetType().Name}: {e.Message}",
            };
        }
        finally
        {
            if (pin is not null)
            {
                CryptographicOperations.ZeroMemory(pin);
            }
        }

        if (!snapshot.Tokens.Any(VerdictEngine.IsInitialized))
        {
            // Nothing to judge (no token, or only tokens without CKF_TOKEN_INITIALIZED, such as a blank card).
            return new ProbeHostResponse
            {
                Status = ProbeHostStatus.TokenNotFound,
                Error = snapshot.Tokens.IsEmpty ? NotFound(request) : NotFound(request) + " (only an uninitialized token, without CKF_TOKEN_INITIALIZED)",
            };
        }

        return new ProbeHostResponse { Status = ProbeHostStatus.Completed, Report = ReportBuilder.Build(snapshot, server, time, targets: targets) };
    }

    private ServerModel Server(string? schemes)
    {
        if (schemes is null)
        {
            return ServerModel.StockOpenSsl3;
        }

        if (!servers.TryGetValue(schemes, out var server))
        {
            server = ServerModel.Given(SignatureSchemeNames.ParseList(schemes));
            servers.Add(schemes, server);
        }

        return server;
    }

    private static string NotFound(ProbeHostRequest request) => (request.TokenLabel, request.SlotDescription) switch
    {
        (null, null) => $"no token present in any slot of {request.Module}",
        ({ } label, null) => $"no token labelled '{label}' in {request.Module}",
        (null, { } slot) => $"no token in a slot named '{slot}' in {request.Module}",
        ({ } label, { } slot) => $"no token labelled '{label}' in a slot named '{slot}' in {request.Module}",
    };

    private static async Task WriteAsync(Stream output, ProbeHostResponse response, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(response, ProbeProtocolJsonContext.Default.ProbeHostResponse);
        var message = new byte[json.Length + 1];
        json.CopyTo(message, 0);
        message[^1] = (byte)'\n';
        await output.WriteAsync(message, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
