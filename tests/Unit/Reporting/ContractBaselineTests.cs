using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Reporting;

/// <summary>
/// Contract v1 as JSON: a fixed report serialized with the source-generated context must equal the committed
/// baseline, so that any change of the contract is a visible change of that file. Set UPDATE_BASELINES=1 to
/// rewrite it after an intended change.
/// </summary>
public sealed class ContractBaselineTests
{
    private const string BaselineName = "token-report.v1.json";

    /// <summary>The fixed report's JSON, made once for the field rows below.</summary>
    private static readonly Lazy<string> FixedJson = new(() => Serialize(FixedReport()));

    [Fact]
    public void Serialize_FixedReport_EqualsCommittedBaseline()
    {
        var json = Serialize(FixedReport());

        CommittedBaseline.AssertEqual(BaselineName, json);
    }

    /// <summary>
    /// The lean program writes check reports with <see cref="CheckReportJsonContext"/>, the server and the API with
    /// <see cref="ContractsJsonContext"/>: both must write the same document, byte for byte.
    /// </summary>
    [Fact]
    public void Serialize_FixedReport_SameJsonInBothContexts()
    {
        var report = FixedReport();

        Assert.Equal(
            JsonSerializer.Serialize(report, ContractsJsonContext.Default.TokenReport),
            JsonSerializer.Serialize(report, CheckReportJsonContext.Default.TokenReport));
    }

    /// <summary>`profiles` reads each child's check report with <see cref="TokenReportReaderJsonContext"/>: it must read back every field the check context wrote.</summary>
    [Fact]
    public void Deserialize_FixedReportWithTheReaderContext_WritesTheSameJsonBack()
    {
        var json = JsonSerializer.Serialize(FixedReport(), CheckReportJsonContext.Default.TokenReport);

        var read = JsonSerializer.Deserialize(json, TokenReportReaderJsonContext.Default.TokenReport);

        Assert.Equal(json, JsonSerializer.Serialize(read!, CheckReportJsonContext.Default.TokenReport));
    }

    [Fact]
    public void Serialize_ProfileRun_SameJsonInBothContexts()
    {
        var run = new ProfileRunReport
        {
            Manifest = "manifest.tsv",
            ElapsedMilliseconds = 12.5,
            Profiles =
            [
                new ProfileResult { Profile = "a", Config = "a/softhsm2.conf", ExpectedVerdict = "compatible", Verdict = "compatible", MatchesExpected = true, Report = FixedReport() },
                new ProfileResult { Profile = "b", Config = "b/softhsm2.conf", ExpectedVerdict = "incompatible", ExitCode = 69, Error = "module failed" },
            ],
        };

        var lean = JsonSerializer.Serialize(run, CheckReportJsonContext.Default.ProfileRunReport);

        Assert.Equal(JsonSerializer.Serialize(run, ContractsJsonContext.Default.ProfileRunReport), lean);
        Assert.Contains("\"error\": \"module failed\"", lean, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_FixedReport_SameJsonEveryTime() => Assert.Equal(Serialize(FixedReport()), Serialize(FixedReport()));

    /// <summary>Every field the contract promises consumers, present (possibly null) wherever its parent is.</summary>
    [Theory]
    [InlineData("schemaVersion")]
    [InlineData("generatedAt")]
    [InlineData("verdict")]
    [InlineData("uninitializedTokens[].slotId")]
    [InlineData("uninitializedTokens[].slotDescription")]
    [InlineData("uninitializedTokens[].label")]
    [InlineData("uninitializedTokens[].serialNumber")]
    [InlineData("tokens[].label")]
    [InlineData("tokens[].serialNumber")]
    [InlineData("tokens[].manufacturer")]
    [InlineData("tokens[].model")]
    [InlineData("tokens[].pinStatus")]
    [InlineData("tokens[].verdict")]
    [InlineData("tokens[].confirmed")]
    [InlineData("tokens[].problems")]
    [InlineData("tokens[].remediation")]
    [InlineData("tokens[].mechanisms[].name")]
    [InlineData("tokens[].mechanisms[].minKeySize")]
    [InlineData("tokens[].mechanisms[].maxKeySize")]
    [InlineData("tokens[].mechanisms[].flags")]
    [InlineData("tokens[].keys[].label")]
    [InlineData("tokens[].keys[].id")]
    [InlineData("tokens[].keys[].keyType")]
    [InlineData("tokens[].keys[].bits")]
    [InlineData("tokens[].keys[].curve")]
    [InlineData("tokens[].keys[].certificate.subject")]
    [InlineData("tokens[].keys[].certificate.issuer")]
    [InlineData("tokens[].keys[].certificate.notBefore")]
    [InlineData("tokens[].keys[].certificate.notAfter")]
    [InlineData("tokens[].keys[].certificate.keyUsage")]
    [InlineData("tokens[].keys[].certificate.extendedKeyUsage")]
    [InlineData("tokens[].keys[].certificate.matchesKey")]
    [InlineData("tokens[].keys[].tls13.capable")]
    [InlineData("tokens[].keys[].tls13.schemes[].name")]
    [InlineData("tokens[].keys[].tls13.schemes[].usable")]
    [InlineData("tokens[].keys[].tls13.schemes[].route")]
    [InlineData("tokens[].keys[].tls13.schemes[].reasons")]
    [InlineData("tokens[].keys[].tls12.capable")]
    [InlineData("tokens[].keys[].tls12.schemes[].name")]
    [InlineData("tokens[].keys[].tls12.schemes[].usable")]
    [InlineData("tokens[].keys[].tls12.schemes[].route")]
    [InlineData("tokens[].keys[].tls12.schemes[].reasons")]
    [InlineData("tokens[].keys[].clients[].stack")]
    [InlineData("tokens[].keys[].clients[].tls13.outcome")]
    [InlineData("tokens[].keys[].clients[].tls13.scheme")]
    [InlineData("tokens[].keys[].clients[].tls13.error")]
    [InlineData("tokens[].keys[].clients[].tls12.outcome")]
    [InlineData("tokens[].keys[].clients[].tls12.scheme")]
    [InlineData("tokens[].keys[].clients[].tls12.error")]
    [InlineData("tokens[].keys[].problems[].code")]
    [InlineData("tokens[].keys[].problems[].severity")]
    [InlineData("tokens[].keys[].problems[].message")]
    [InlineData("tokens[].keys[].verdict")]
    [InlineData("tokens[].keys[].confirmed")]
    [InlineData("tokens[].keys[].hidden")]
    [InlineData("tokens[].keys[].remediation[].code")]
    [InlineData("tokens[].keys[].remediation[].side")]
    [InlineData("tokens[].keys[].remediation[].action")]
    public void Serialize_FixedReport_HasContractField(string path)
    {
        using var doc = JsonDocument.Parse(FixedJson.Value);

        var parents = Walk([doc.RootElement], path.Split('.')[..^1]);
        var field = path.Split('.')[^1];

        Assert.NotEmpty(parents);
        Assert.All(parents, p => Assert.True(p.TryGetProperty(field, out _), $"{path}: missing in {p}"));
    }

    private static List<JsonElement> Walk(List<JsonElement> at, IEnumerable<string> steps)
    {
        foreach (var step in steps)
        {
            var name = step.TrimEnd('[', ']');
            at = [.. at.Select(e => e.GetProperty(name)).SelectMany(e => step.EndsWith("[]", StringComparison.Ordinal) ? e.EnumerateArray() : (IEnumerable<JsonElement>)[e])];
        }

        return at;
    }

    /// <summary>As `check --format json` writes it: the lean program's own context.</summary>
    private static string Serialize(TokenReport report) =>
        JsonSerializer.Serialize(report, CheckReportJsonContext.Default.TokenReport).ReplaceLineEndings("\n") + "\n";

    /// <summary>
    /// A fixed module: one token with an RSA-2048 key (full RSA mechanisms) and a P-256 key that needs the PIN
    /// per signature, certificates issued by the RSA key with PKCS#1 v1.5 (deterministic) and fixed serials,
    /// evaluated at <see cref="TestClock.Now"/> against stock OpenSSL 3; and the same token seen without a PIN (private
    /// keys hidden, the keys judged from certificates and public keys, unconfirmed); and an uninitialized token
    /// (SoftHSM's free slot), listed apart.
    /// </summary>
    private static TokenReport FixedReport()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(FixedKeys.RsaPrivateKeyPem);
        using var ec = ECDsa.Create();
        ec.ImportFromPem(FixedKeys.EcPrivateKeyPem);
        var rsaKey = TestKey.FromRsa("fixed-rsa", rsa.ExportParameters(false));
        var ecKey = TestKey.FromEc("fixed-p256", Oids.P256, ec.ExportParameters(false));
        var issuer = new X500DistinguishedName("CN=Baseline Issuing CA, O=TokenService Tests");
        var signer = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
        var rsaCert = TestCa.Issue(rsaKey, CertificateSpec.ClientAuth with { Subject = "CN=Baseline RSA, O=TokenService Tests", KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment }, issuer, signer, [0x01, 0x01]);
        var ecCert = TestCa.Issue(ecKey, CertificateSpec.ClientAuth with { Subject = "CN=Baseline EC, O=TokenService Tests", ExtendedKeyUsage = [Oids.ClientAuth, Oids.SmartcardLogon] }, issuer, signer, [0x01, 0x02]);

        var token = TokenBuilder.With([.. MechanismSets.FullRsa, .. MechanismSets.Ec])
            .Labelled("baseline-token")
            .Key(rsaKey, k => k with { Id = 0x01, Label = "Authentication", CertificateValue = rsaCert })
            .Key(ecKey, k => k with { Id = 0x02, Label = "Signature", AlwaysAuthenticate = true, CertificateValue = ecCert })
            .Build();
        var module = new ModuleSnapshot
        {
            ModulePath = "/usr/lib/softhsm/libsofthsm2.so",
            LibraryDescription = "Implementation of PKCS11",
            ManufacturerId = "SoftHSM",
            CryptokiVersion = "2.40",
            LibraryVersion = "2.6",
            Tokens =
            [
                token,
                token with { SlotId = token.SlotId + 1, Label = "baseline-token-no-pin", PrivateKeys = [], Login = LoginOutcome.NotAttempted },
                new TokenSnapshot { SlotId = 9, SlotDescription = "SoftHSM slot ID 0x9", Manufacturer = "SoftHSM project", Model = "SoftHSM v2", Flags = TokenFlags.Rng | TokenFlags.LoginRequired },
            ],
        };

        return ReportBuilder.Build(module, ServerModel.StockOpenSsl3, TestClock.Provider());
    }
}
