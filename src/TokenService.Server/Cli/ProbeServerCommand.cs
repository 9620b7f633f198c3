using System.Globalization;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Reporting;
using TokenService.ServerProbe;
using Probe = TokenService.ServerProbe.ServerProbe;

namespace TokenService.Cli;

/// <summary>`probe-server HOST:PORT`: what a server's CertificateRequest asks of client certificates, per TLS version.</summary>
internal static class ProbeServerCommand
{
    public const double DefaultTimeoutSeconds = 10;

    internal sealed record Options(string Endpoint, OutputFormat Format, double TimeoutSeconds);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, CancellationToken cancellationToken)
    {
        var endpoint = ServerEndpoint.Parse(options.Endpoint, "HOST:PORT");
        var requirements = await ProbeAsync(endpoint, Timeout(options.TimeoutSeconds, "--timeout"), cancellationToken);
        var report = requirements.ToReport();
        if (options.Format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ContractsJsonContext.Default.ServerProbeReport));
        }
        else
        {
            new ServerProbeTableRenderer(stdout).Render(report);
        }

        return ExitCodes.Success;
    }

    /// <summary>A positive number of seconds, at most an hour.</summary>
    public static TimeSpan Timeout(double seconds, string option) =>
        double.IsFinite(seconds) && seconds > 0 && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliException(ExitCodes.Usage, $"{option}: expected a number of seconds above 0 and at most 3600, got {seconds.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>`check --server`: the server model of what <see cref="ProbeAsync"/> found within the default timeout.</summary>
    public static async Task<Verdicts.ServerModel> ProbeModelAsync(ServerEndpoint endpoint, CancellationToken cancellationToken) =>
        (await ProbeAsync(endpoint, TimeSpan.FromSeconds(DefaultTimeoutSeconds), cancellationToken)).ToServerModel();

    /// <summary>Probes both versions; a server that negotiated neither TLS 1.3 nor TLS 1.2 is unavailable (exit 69).</summary>
    public static async Task<ServerRequirements> ProbeAsync(ServerEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var requirements = await Probe.ProbeAsync(endpoint.Host, endpoint.Port, timeout, cancellationToken);
        if (!requirements.Tls13.Accepted && !requirements.Tls12.Accepted)
        {
            throw new CliException(ExitCodes.Unavailable,
                $"no TLS 1.3 or TLS 1.2 server at {requirements.Endpoint}: TLS 1.3: {requirements.Tls13.Error ?? "not negotiated"}; TLS 1.2: {requirements.Tls12.Error ?? "not negotiated"}");
        }

        return requirements;
    }
}
