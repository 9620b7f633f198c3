using System.Collections;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TokenService.Contracts;

namespace TokenService.Telemetry;

/// <summary>
/// The structured record of one finished check, for log pipelines that aggregate a fleet: verdict, card family,
/// token model and manufacturer, each key's type, size, verdict and TLS 1.3 / 1.2 capability, the problem codes,
/// the probed server when there was one, and the token's serial number (its SHA-256 unless
/// <see cref="TelemetryOptions.IncludeSerialNumbers"/>). Never a PIN, a label or a certificate subject.
/// </summary>
/// <remarks>
/// The attributes are the logger state itself (OpenTelemetry's ILogger bridge exports a state that is a list of
/// key/value pairs as the record's attributes): a <c>[LoggerMessage]</c> method cannot name parameters with the
/// dotted names OpenTelemetry uses, nor carry the per-key arrays.
/// </remarks>
internal sealed class CheckRecord : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly EventId Event = new(300, "CheckFinished");

    private const string Template = "Check finished: {tokenservice.probe.status} {tokenservice.verdict} ({tokenservice.card.family})";

    private readonly List<KeyValuePair<string, object?>> _attributes = [];
    private readonly string _status;
    private readonly string? _verdict;
    private readonly string _family;

    public CheckRecord(string status, string family, TokenReport? report, bool includeSerialNumbers)
    {
        _status = status;
        _verdict = report?.Verdict;
        _family = family;
        Add(TokenServiceInstrumentation.StatusAttribute, status);
        Add(TokenServiceInstrumentation.VerdictAttribute, report?.Verdict);
        Add(TokenServiceInstrumentation.FamilyAttribute, family);
        if (report is not null)
        {
            var tokens = report.Tokens;
            var keys = tokens.SelectMany(t => t.Keys).ToArray();
            Add("tokenservice.token.model", tokens.Select(t => t.Model).ToArray());
            Add("tokenservice.token.manufacturer", tokens.Select(t => t.Manufacturer).ToArray());
            if (includeSerialNumbers)
            {
                Add("tokenservice.token.serial_number", tokens.Select(t => t.SerialNumber).ToArray());
            }
            else
            {
                Add("tokenservice.token.serial_number.sha256", tokens.Select(t => Sha256(t.SerialNumber)).ToArray());
            }

            Add("tokenservice.key.type", keys.Select(k => k.KeyType).ToArray());
            Add("tokenservice.key.size", keys.Select(k => (long)(k.Bits ?? 0)).ToArray());
            Add("tokenservice.key.verdict", keys.Select(k => k.Verdict).ToArray());
            Add("tokenservice.tls13.capable", keys.Select(k => k.Tls13.Capable).ToArray());
            Add("tokenservice.tls12.capable", keys.Select(k => k.Tls12.Capable).ToArray());
            Add("tokenservice.cause", tokens.SelectMany(t => t.Problems).Concat(keys.SelectMany(k => k.Problems))
                .Select(p => p.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
            Add("tokenservice.server.endpoint", report.Server.Endpoint);
        }

        Add("{OriginalFormat}", Template);
    }

    public int Count => _attributes.Count;

    public KeyValuePair<string, object?> this[int index] => _attributes[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _attributes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"Check finished: {_status} {_verdict} ({_family})";

    /// <summary>Writes the record at Information level under <see cref="Event"/>.</summary>
    public void WriteTo(ILogger logger) =>
        logger.Log(LogLevel.Information, Event, this, null, static (record, _) => record.ToString());

    private void Add(string key, object? value)
    {
        if (value is not null)
        {
            _attributes.Add(new(key, value));
        }
    }

    private static string Sha256(string serialNumber) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serialNumber)));
}
