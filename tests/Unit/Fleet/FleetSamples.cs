using System.Text.Json;
using TokenService.Contracts;
using TokenService.Fleet;

namespace TokenService.Tests.Unit.Fleet;

/// <summary>Check documents for the fleet tests: cards that work, work on TLS 1.2 only, or need a new certificate.</summary>
internal static class FleetSamples
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public static readonly RemediationEntry LegacyPkcs1Server = new() { Code = "no-pss-route", Side = "server", Action = "Offer rsa_pkcs1_sha256_legacy" };
    public static readonly RemediationEntry MiddlewareClient = new() { Code = "no-pss-route", Side = "client", Action = "Update the middleware" };
    public static readonly RemediationEntry ReissueCard = new() { Code = "no-pss-route", Side = "card", Action = "Re-issue on EC" };
    public static readonly RemediationEntry RenewCard = new() { Code = "certificate-expired", Side = "card", Action = "Renew the certificate." };
    public static readonly RemediationEntry UnlockCard = new() { Code = "pin-locked", Side = "card", Action = "Unblock the PIN." };

    /// <summary>Adds <paramref name="report"/> the way `report` reads it: as the JSON `check --format json` writes.</summary>
    public static void Add(FleetTally tally, string source, TokenReport report) =>
        CheckDocuments.Add(source, JsonSerializer.SerializeToUtf8Bytes(report, ContractsJsonContext.Default.TokenReport), tally);

    public static TokenReport Report(TokenEntry token, DateTimeOffset? at = null) => new()
    {
        GeneratedAt = at ?? Monday,
        Module = new ModuleEntry { Path = "/usr/lib/softhsm/libsofthsm2.so" },
        Server = new ServerModelEntry { Source = "stock-openssl3" },
        Tokens = [token],
        Verdict = token.Verdict,
    };

    public static TokenEntry Compatible(string serial) => Token(serial, "compatible", [], []);

    public static TokenEntry Tls12Only(string serial) => Token(
        serial, "tls12-only",
        [Problem("no-pss-route", "warning"), Problem("openssl-picks-pss-in-tls12", "warning")],
        [ReissueCard, MiddlewareClient, LegacyPkcs1Server]);

    public static TokenEntry Expired(string serial) => Token(serial, "incompatible", [Problem("certificate-expired", "error")], [RenewCard]);

    public static TokenEntry Token(string serial, string verdict, ProblemEntry[] problems, RemediationEntry[] remediation) => new()
    {
        Label = "card-" + serial,
        SerialNumber = serial,
        Manufacturer = "SoftHSM project",
        Model = "SoftHSM v2",
        Verdict = verdict,
        Keys =
        [
            new KeyEntry
            {
                Id = "01",
                KeyType = "RSA",
                Bits = 2048,
                Tls13 = new TlsCapabilityEntry { Capable = verdict == "compatible" },
                Tls12 = new TlsCapabilityEntry { Capable = verdict != "incompatible" },
                Verdict = verdict,
                Problems = problems,
                Remediation = remediation,
            },
        ],
    };

    public static ProblemEntry Problem(string code, string severity) => new() { Code = code, Severity = severity, Message = code };
}
