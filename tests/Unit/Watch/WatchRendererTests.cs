using TokenService.Contracts;
using TokenService.Watch;
using Xunit;
using TokenService.Worker;

namespace TokenService.Tests.Unit.Watch;

public sealed class WatchRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 5, TimeSpan.Zero);
    private readonly WatchRenderer _renderer = new(color: false, TimeZoneInfo.Utc);

    private static readonly KeyEntry Pkcs1OnlyKey = new()
    {
        Label = "client",
        Id = "01",
        KeyType = "RSA",
        Bits = 2048,
        Tls13 = new TlsCapabilityEntry { Capable = false },
        Tls12 = new TlsCapabilityEntry { Capable = true },
        Verdict = "tls12-only",
        Problems =
        [
            new ProblemEntry { Code = "info-only", Severity = "info", Message = "not the headline" },
            new ProblemEntry { Code = "no-pss-mechanism", Severity = "error", Message = "The token offers no RSA-PSS mechanism" },
        ],
        Remediation = [new RemediationEntry { Code = "no-pss-mechanism", Side = "card", Action = "Use a card whose middleware offers CKM_RSA_PKCS_PSS" }],
    };

    private static readonly ReaderStateEntry WithVerdict = new()
    {
        Name = "Virtual PCD 00 01",
        CardPresent = true,
        Atr = "3B0A546F6B656E5365727669",
        State = ReaderStateNames.Verdict,
        Report = new TokenReport
        {
            Module = new ModuleEntry { Path = "/usr/lib/softhsm/libsofthsm2.so" },
            Server = new ServerModelEntry { Source = "stock-openssl3" },
            Tokens = [new TokenEntry { Label = "rsa-pkcs1-only", Manufacturer = "SoftHSM project", Model = "SoftHSM v2", Verdict = "tls12-only", Keys = [Pkcs1OnlyKey] }],
            Verdict = "tls12-only",
        },
        UpdatedAt = Now,
    };

    [Fact]
    public void Screen_CardWithVerdict_ShowsReaderAtrVerdictPerKeyHeadlineCauseAndFix()
    {
        var screen = _renderer.Screen([WithVerdict, Empty("Virtual PCD 00 00")], [], serviceLost: null, Now);

        Assert.Contains("pcscd ok", screen);
        Assert.Contains("Virtual PCD 00 01  card ATR 3B0A546F6B656E5365727669", screen);
        Assert.Contains("token \"rsa-pkcs1-only\" SoftHSM project SoftHSM v2   TLS 1.2 ONLY", screen);
        Assert.Contains("key \"client\" RSA-2048  TLS 1.2 ONLY  TLS 1.3 no  TLS 1.2 yes", screen);
        Assert.Contains("cause The token offers no RSA-PSS mechanism [no-pss-mechanism]", screen);
        Assert.Contains("fix   [card] Use a card whose middleware offers CKM_RSA_PKCS_PSS", screen);
        Assert.DoesNotContain("not the headline", screen);
        Assert.Contains("Virtual PCD 00 00  no card", screen);
        Assert.DoesNotContain("\u001b[", screen); // no colour asked for
    }

    [Fact]
    public void Screen_NamedCard_ShowsNamesAndFamilyUnderTheAtr()
    {
        var reader = WithVerdict with
        {
            Card = new CardNameEntry { Atr = WithVerdict.Atr!, Names = ["Yubico YubiKey 5 NFC (PKI)"], Family = "yubikey-piv-opensc", Families = ["yubikey-piv-opensc", "openpgp-card"] },
        };

        var screen = _renderer.Screen([reader], [], null, Now);

        Assert.Contains("  Yubico YubiKey 5 NFC (PKI)  [family yubikey-piv-opensc]", screen);
    }

    [Theory]
    [InlineData(ReaderStateNames.Probing, true, null, "reading the token")]
    [InlineData(ReaderStateNames.ModuleFailed, true, "probe host died", "MODULE FAILED: probe host died")]
    [InlineData(ReaderStateNames.NoBinding, true, "no binding for reader", "NO BINDING: no binding for reader")]
    [InlineData(ReaderStateNames.RemovedDuringProbe, false, "x", "card removed while it was being read: no verdict, reinsert it")]
    public void Screen_ReaderWithoutVerdict_SaysWhy(string state, bool cardPresent, string? error, string shown)
    {
        var reader = Empty("R") with { State = state, CardPresent = cardPresent, Atr = cardPresent ? "3B00" : null, Error = error };

        Assert.Contains(shown, _renderer.Screen([reader], [], null, Now));
    }

    [Fact]
    public void Screen_PcscdLost_SaysSoInTheHeader()
    {
        var screen = _renderer.Screen([], [], "SCardEstablishContext: SCARD_E_NO_SERVICE", Now);

        Assert.Contains("pcscd UNREACHABLE (SCardEstablishContext: SCARD_E_NO_SERVICE), reconnecting", screen);
        Assert.Contains("Readers unknown until pcscd answers.", screen);
    }

    [Fact]
    public void Event_Verdict_IsOneLineWithOneLinePerKey()
    {
        var entry = new WatchEvent
        {
            Sequence = 7,
            Type = WatchEventType.Verdict,
            At = Now,
            ReaderName = WithVerdict.Name,
            State = WithVerdict,
            Check = new CheckHistoryEntry { Reader = WithVerdict.Name, State = ReaderStateNames.Verdict, Verdict = "tls12-only", TokenLabel = "rsa-pkcs1-only", DurationMilliseconds = 84 },
        };

        var lines = _renderer.Event(entry).TrimEnd('\n').Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.Equal("09:30:05 verdict         Virtual PCD 00 01  TLS 1.2 ONLY  token rsa-pkcs1-only  84 ms", lines[0]);
        Assert.StartsWith("    key \"client\" RSA-2048  TLS 1.2 ONLY", lines[1]);
        Assert.Contains("cause The token offers no RSA-PSS mechanism", lines[1]);
        Assert.Contains("fix   [card] Use a card", lines[1]);
    }

    private static ReaderStateEntry Empty(string name) => new() { Name = name, State = ReaderStateNames.Empty, UpdatedAt = Now };
}
