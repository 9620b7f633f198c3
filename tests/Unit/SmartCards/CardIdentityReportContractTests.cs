using System.Text.Json;
using TokenService.Contracts;

namespace TokenService.Tests.Unit.SmartCards;

/// <summary>The `identify` JSON contract (v1), pinned by a committed baseline: a change here is a contract change.</summary>
public sealed class CardIdentityReportContractTests
{
    private const string BaselineName = "card-identity-report.json";

    private static readonly CardIdentityReport Sample = new()
    {
        Atr = "3BFD1300008131FE158073C021C057597562694B657940",
        Names = ["Yubico YubiKey 5 NFC (PKI)"],
        Families =
        [
            new CardFamilyEntry
            {
                Id = "yubikey-piv-opensc",
                Name = "YubiKey 4/5 (PIV applet) through OpenSC",
                Middleware = "OpenSC >= 0.20.0 (opensc-pkcs11.so, driver PIV-II)",
                Keys =
                [
                    new CardFamilyKeyEntry
                    {
                        KeyType = "RSA",
                        Bits = 2048,
                        Verdict = "compatible",
                        ExpectedVerdict = "compatible",
                        Clients =
                        [
                            new ClientPredictionEntry
                            {
                                Stack = "chrome-linux",
                                Basis = "lab-measured",
                                Tls13 = new ClientOutcomeEntry { Outcome = "ok", Scheme = "rsa_pss_rsae_sha256" },
                                Tls12 = new ClientOutcomeEntry { Outcome = "ok", Scheme = "rsa_pkcs1_sha256" },
                            },
                        ],
                    },
                ],
                Sources = ["OpenSC src/libopensc/card-piv.c"],
            },
        ],
    };

    [Fact]
    public void Serialize_SampleReport_MatchesCommittedBaseline()
    {
        var json = JsonSerializer.Serialize(Sample, ContractsJsonContext.Default.CardIdentityReport);
        var baseline = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", BaselineName));

        Assert.Equal(Normalize(baseline), Normalize(json));
    }

    [Fact]
    public void Deserialize_Baseline_RoundTripsToTheSameReport()
    {
        var baseline = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", BaselineName));

        var report = JsonSerializer.Deserialize(baseline, ContractsJsonContext.Default.CardIdentityReport);

        Assert.Equal(
            JsonSerializer.Serialize(Sample, ContractsJsonContext.Default.CardIdentityReport),
            JsonSerializer.Serialize(report, ContractsJsonContext.Default.CardIdentityReport));
    }

    private static string Normalize(string json) => json.ReplaceLineEndings("\n").Trim();
}
