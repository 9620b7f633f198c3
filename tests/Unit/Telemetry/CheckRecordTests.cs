using System.Security.Cryptography;
using System.Text;
using TokenService.Contracts;
using TokenService.Telemetry;

namespace TokenService.Tests.Unit.Telemetry;

public sealed class CheckRecordTests
{
    private const string Serial = "0badc0ffee123456";

    private static readonly TokenReport Report = new()
    {
        Module = new ModuleEntry { Path = "/usr/lib/softhsm/libsofthsm2.so" },
        Server = new ServerModelEntry { Source = "probed", Endpoint = "portal.example.org:443" },
        Verdict = "tls12-only",
        Tokens =
        [
            new TokenEntry
            {
                Label = "Alice's card",
                SerialNumber = Serial,
                Manufacturer = "SoftHSM project",
                Model = "SoftHSM v2",
                Verdict = "tls12-only",
                Problems = [new ProblemEntry { Code = "private-objects-hidden", Severity = "info", Message = "m" }],
                Keys =
                [
                    new KeyEntry
                    {
                        Label = "Alice's key",
                        KeyType = "RSA",
                        Bits = 2048,
                        Tls13 = new TlsCapabilityEntry { Capable = false },
                        Tls12 = new TlsCapabilityEntry { Capable = true },
                        Verdict = "tls12-only",
                        Problems = [new ProblemEntry { Code = "pkcs1-forbidden-in-tls13", Severity = "error", Message = "m" }],
                    },
                    new KeyEntry
                    {
                        KeyType = "EC",
                        Bits = 256,
                        Tls13 = new TlsCapabilityEntry { Capable = true },
                        Tls12 = new TlsCapabilityEntry { Capable = true },
                        Verdict = "compatible",
                    },
                ],
            },
        ],
    };

    [Fact]
    public void Attributes_OfAVerdict_CarryTheStructuredVerdict_AndAHashedSerialNumber()
    {
        var record = Attributes(new CheckRecord("verdict", "yubikey-5", Report, includeSerialNumbers: false));

        Assert.Equal("verdict", record["tokenservice.probe.status"]);
        Assert.Equal("tls12-only", record["tokenservice.verdict"]);
        Assert.Equal("yubikey-5", record["tokenservice.card.family"]);
        Assert.Equal(new[] { "SoftHSM v2" }, record["tokenservice.token.model"]);
        Assert.Equal(new[] { "SoftHSM project" }, record["tokenservice.token.manufacturer"]);
        Assert.Equal(new[] { "RSA", "EC" }, record["tokenservice.key.type"]);
        Assert.Equal(new long[] { 2048, 256 }, record["tokenservice.key.size"]);
        Assert.Equal(new[] { "tls12-only", "compatible" }, record["tokenservice.key.verdict"]);
        Assert.Equal(new[] { false, true }, record["tokenservice.tls13.capable"]);
        Assert.Equal(new[] { true, true }, record["tokenservice.tls12.capable"]);
        Assert.Equal(new[] { "pkcs1-forbidden-in-tls13", "private-objects-hidden" }, record["tokenservice.cause"]);
        Assert.Equal("portal.example.org:443", record["tokenservice.server.endpoint"]);
        Assert.Equal(new[] { Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serial))) }, record["tokenservice.token.serial_number.sha256"]);
        Assert.False(record.ContainsKey("tokenservice.token.serial_number"));
        Assert.DoesNotContain(record.Values, value => Text(value).Contains(Serial, StringComparison.Ordinal) || Text(value).Contains("Alice", StringComparison.Ordinal));
    }

    [Fact]
    public void Attributes_WithIncludeSerialNumbers_CarryTheSerialNumberAsItIs()
    {
        var record = Attributes(new CheckRecord("verdict", "unknown", Report, includeSerialNumbers: true));

        Assert.Equal(new[] { Serial }, record["tokenservice.token.serial_number"]);
        Assert.False(record.ContainsKey("tokenservice.token.serial_number.sha256"));
    }

    [Fact]
    public void Attributes_OfACheckWithoutReport_NameTheStateAndNoVerdict()
    {
        var record = new CheckRecord("module-failed", "unknown", null, includeSerialNumbers: false);

        var attributes = Attributes(record);

        Assert.Equal("module-failed", attributes["tokenservice.probe.status"]);
        Assert.False(attributes.ContainsKey("tokenservice.verdict"));
        Assert.False(attributes.ContainsKey("tokenservice.key.type"));
        Assert.Equal("Check finished: module-failed  (unknown)", record.ToString());
    }

    private static Dictionary<string, object?> Attributes(CheckRecord record) => record.ToDictionary(a => a.Key, a => a.Value);

    private static string Text(object? value) => value is Array array ? string.Join(",", array.Cast<object>()) : value?.ToString() ?? "";
}
