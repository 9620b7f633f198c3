using System.Text.Json;
using TokenService.SmartCards;
using TokenService.Contracts;
using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Cli;

/// <summary>`identify ATR` and `cards`: a card named from its ATR, and the card-family catalog, each judged by the engine.</summary>
internal static class CardsCommands
{
    internal sealed record IdentifyOptions(string Atr, OutputFormat Format, string DatabasePath, ClientTargets? Clients = null);

    /// <summary>Exit 0 when the ATR was read (whether or not anything matched); 64 when it is not an ATR.</summary>
    public static async Task<int> IdentifyAsync(IdentifyOptions options, TextWriter stdout, TimeProvider time)
    {
        var atr = Atr.TryParse(options.Atr, out var error) ?? throw new CliException(ExitCodes.Usage, $"ATR: {error}");
        var identifier = new CardIdentifier(SmartcardListFile.Load(options.DatabasePath), CardCatalog.Default);
        var report = identifier.Identify(atr, ServerModel.StockOpenSsl3, time.GetUtcNow(), options.Clients);
        if (options.Format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ContractsJsonContext.Default.CardIdentityReport));
        }
        else
        {
            new CardsTableRenderer(stdout).Render(report);
        }

        return ExitCodes.Success;
    }

    public static async Task<int> ListAsync(OutputFormat format, TextWriter stdout, TimeProvider time)
    {
        var report = CardIdentifier.Catalog(CardCatalog.Default, ServerModel.StockOpenSsl3, time.GetUtcNow());
        if (format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ContractsJsonContext.Default.CardCatalogReport));
        }
        else
        {
            new CardsTableRenderer(stdout).Render(report);
        }

        return ExitCodes.Success;
    }
}
