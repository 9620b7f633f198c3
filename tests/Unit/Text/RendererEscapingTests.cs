using System.Text.RegularExpressions;
using TokenService.Contracts;
using TokenService.Reporting;
using TokenService.Text;
using TokenService.Watch;
using Xunit;
using TokenService.Worker;

namespace TokenService.Tests.Unit.Text;

/// <summary>
/// Every text renderer, fed a report whose every card-, reader- and server-supplied string is hostile: the only
/// raw control characters left are newlines and the palette's own SGR sequences (issue 9 §1).
/// </summary>
public sealed partial class RendererEscapingTests
{
    private const string Evil = "E\u001b[31mRED\u001b]0;TITLE\u0007\r\u009b8m\u001b[8m";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TableRenderer_HostileLabels_NoRawControlSequences(bool color)
    {
        var output = new StringWriter();

        new TableRenderer(output, color).Render(Report());

        AssertOnlyPaletteControls(output.ToString(), color);
        Assert.Contains("Token \"E\\x1b[31mRED\\x1b]0;TITLE\\x07\\x0d\\x9b8m\\x1b[8m\"", output.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WatchRenderer_HostileReaderAndLabels_NoRawControlSequences(bool color)
    {
        var renderer = new WatchRenderer(color, TimeZoneInfo.Utc);
        var reader = new ReaderStateEntry { Name = Evil, CardPresent = true, Atr = Evil, State = "verdict", Report = Report(), Error = Evil, UpdatedAt = Now };
        var failed = reader with { State = "module-failed", Report = null };
        var check = new CheckHistoryEntry { Reader = Evil, State = "verdict", Verdict = "compatible", TokenLabel = Evil, Error = Evil, StartedAt = Now };

        var screen = renderer.Screen([reader, failed], [check], serviceLost: Evil, Now);
        var events = string.Concat(
            new[] { WatchEventType.CardInserted, WatchEventType.ProbeStarted, WatchEventType.Verdict, WatchEventType.ServiceLost, WatchEventType.ReaderAttached }
                .Select(type => renderer.Event(new WatchEvent { Type = type, At = Now, ReaderName = Evil, Reason = Evil, State = reader, Check = check })));

        AssertOnlyPaletteControls(screen, color);
        AssertOnlyPaletteControls(events, color);
        Assert.Contains("E\\x1b[31mRED", screen);
    }

    [Fact]
    public void HandshakeRenderer_HostileLabelsAndErrors_NoRawControlSequences()
    {
        var output = new StringWriter();
        var report = new HandshakeReport
        {
            Tls = "1.3",
            Ok = false,
            Error = Evil,
            Cause = Evil,
            Predicted = new HandshakePrediction { Outcome = "fail", Stack = "openssl-libp11", Error = Evil, Cause = "x", ServerModel = Evil },
            Agrees = false,
            Stack = "dotnet-openssl",
            Evidence = Evil,
            Server = Evil,
            Token = Evil,
            Key = new HandshakeKeyEntry { Label = Evil, Id = "01", CertificateSource = Evil },
        };

        new HandshakeRenderer(output).Render(report);

        AssertOnlyPaletteControls(output.ToString(), color: false);
    }

    [Fact]
    public void ServerProbeTableRenderer_HostileServerText_NoRawControlSequences()
    {
        var output = new StringWriter();
        var version = new ServerProbeVersionEntry
        {
            Accepted = true,
            RequestsCertificate = true,
            SignatureAlgorithms = [Evil],
            SignatureAlgorithmsCert = [Evil],
            CertificateAuthorities = [Evil],
        };

        new ServerProbeTableRenderer(output).Render(new ServerProbeReport { Endpoint = Evil, Tls13 = version, Tls12 = version with { Accepted = false, Error = Evil } });

        AssertOnlyPaletteControls(output.ToString(), color: false);
    }

    [Fact]
    public void KeySize_EdDsaKeyWithoutCurve_SameLabelInTableAndWatch()
    {
        var key = Key("ed-key") with { KeyType = "EC_EDWARDS", Curve = null, Bits = null };
        var report = Report() with { Tokens = [Report().Tokens[0] with { Label = "t", Keys = [key] }] };
        var table = new StringWriter();

        new TableRenderer(table, color: false).Render(report);
        var screen = new WatchRenderer(color: false, TimeZoneInfo.Utc).Screen(
            [new ReaderStateEntry { Name = "r", CardPresent = true, State = "verdict", Report = report }], [], null, Now);

        Assert.Equal("EdDSA", ReportText.KeySize(key));
        Assert.Contains("Key \"ed-key\" (id 01) EdDSA   ", table.ToString());
        Assert.Contains("key \"ed-key\" EdDSA  ", screen);
    }

    [Fact]
    public void TableRenderer_CertificatePairedByIdOnly_SaysUnverifiedNotForeign()
    {
        var key = Key("k") with
        {
            Certificate = Certificate(matchesKey: false),
            Problems = [new ProblemEntry { Code = "certificate-key-unverified", Severity = "warning", Message = "paired by CKA_ID only" }],
        };
        var foreign = Key("other") with
        {
            Certificate = Certificate(matchesKey: false),
            Problems = [new ProblemEntry { Code = "certificate-key-mismatch", Severity = "error", Message = "different key" }],
        };
        var report = Report() with { Tokens = [Report().Tokens[0] with { Keys = [key, foreign] }] };
        var output = new StringWriter();

        new TableRenderer(output, color: false).Render(report);

        var lines = output.ToString().Split('\n').Where(l => l.Contains("Certificate CN=client", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.EndsWith(", unverified: paired by CKA_ID only", lines[0]);
        Assert.DoesNotContain("NOT this key's certificate", lines[0]);
        Assert.EndsWith(", NOT this key's certificate", lines[1]);
    }

    /// <summary>Newlines, and with colour only complete SGR sequences (ESC [ digits ; m): nothing else.</summary>
    private static void AssertOnlyPaletteControls(string rendered, bool color)
    {
        var withoutSgr = color ? Sgr().Replace(rendered, "") : rendered;
        var raw = withoutSgr.Where(c => c != '\n' && TerminalEscaper.IsUnsafe(c)).Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.True(raw.Count == 0, "raw control characters in the output: " + string.Join(", ", raw));
        Assert.Equal(color, rendered.Contains('\u001b'));
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Sgr();

    private static CertificateEntry Certificate(bool matchesKey) => new()
    {
        Subject = "CN=client",
        Issuer = "CN=ca",
        PublicKeyAlgorithm = "rsaEncryption",
        NotBefore = Now.AddDays(-1),
        NotAfter = Now.AddDays(30),
        MatchesKey = matchesKey,
    };

    private static KeyEntry Key(string label) => new()
    {
        Label = label,
        Id = "01",
        KeyType = "RSA",
        Bits = 2048,
        Tls13 = new TlsCapabilityEntry { Capable = true, Schemes = [new SchemeEntry { Name = "rsa_pss_rsae_sha256", Code = "0x0804", Usable = true, Route = "CKM_RSA_PKCS_PSS" }] },
        Tls12 = new TlsCapabilityEntry { Capable = false, Schemes = [new SchemeEntry { Name = "x", Code = "0x0000", Reasons = ["r"] }] },
        Verdict = "compatible",
        Clients = [new ClientPredictionEntry
        {
            Stack = "chrome-linux",
            Basis = "modeled",
            Tls13 = new ClientOutcomeEntry { Outcome = "ok", Scheme = "rsa_pss_rsae_sha256" },
            Tls12 = new ClientOutcomeEntry { Outcome = "fail", Error = "-177" },
        }],
    };

    private static TokenReport Report()
    {
        var key = Key(Evil) with
        {
            Id = Evil,
            Curve = Evil,
            Certificate = Certificate(matchesKey: true) with { Subject = Evil, Issuer = Evil },
            Problems = [new ProblemEntry { Code = Evil, Severity = "error", Message = Evil }],
            Remediation = [new RemediationEntry { Code = Evil, Side = Evil, Action = Evil }],
            SelfTest =
            [
                new SelfTestEntry { Tls = "1.3", Scheme = Evil, Result = "failed", Route = Evil, ReturnValue = Evil, Detail = Evil },
                new SelfTestEntry { Tls = "1.3", Scheme = Evil, Result = "passed", Route = Evil, Detail = Evil },
            ],
        };
        return new TokenReport
        {
            Module = new ModuleEntry { Path = Evil },
            Server = new ServerModelEntry { Source = Evil, Endpoint = Evil, CertificateAuthorities = [Evil] },
            Tokens =
            [
                new TokenEntry
                {
                    Label = Evil, Manufacturer = Evil, Model = Evil, SerialNumber = Evil, Verdict = "compatible",
                    Problems = [new ProblemEntry { Code = Evil, Severity = "warning", Message = Evil }],
                    Keys = [key],
                },
            ],
            Verdict = "compatible",
        };
    }
}
