using TokenService.SmartCards;

namespace TokenService.Cli;

/// <summary>
/// `vcard family FAMILY-ID --reader N`: inserts a card that carries a catalog family's real ATR (and answers every
/// APDU with 6D00) into vpcd reader N until Ctrl-C or SIGTERM. The demo bench of `watch`/`serve` binds that ATR to the
/// family's profile (softhsm-config/profiles/FAMILY-ID.profile, through tools/p11view.so): the card is named, located,
/// probed and judged as that family's middleware presents it.
/// </summary>
internal static class FamilyCardCommand
{
    internal sealed record Options(string Family, int Reader);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var catalog = CardCatalog.Default;
        var family = catalog.Find(options.Family) ?? throw new CliException(
            ExitCodes.Usage, $"no card family '{options.Family}' in the catalog: {string.Join(", ", catalog.Families.Select(f => f.Id))}");
        var reader = VirtualCardHold.Reader(options.Reader);
        var atr = family.SampleAtr;

        // An ATR names a card, not the middleware that reads it: the bench binds it to the first family it matches.
        if (catalog.Matching(atr) is [var first, ..] && first.Id != family.Id)
        {
            await stderr.WriteLineAsync($"note: this ATR is also {first.Id}'s (the same card, another middleware); the demo bench probes it as {first.Id}");
        }

        var card = await VirtualCardHold.InsertAsync(reader, atr, edge: null);
        await stdout.WriteLineAsync($"{family.Name} ({family.Id}) inserted into {reader.Name} (ATR {Atr.Compact(atr)}); Ctrl-C or SIGTERM removes it");
        return await VirtualCardHold.UntilRemovedAsync(card, family.Id, stdout, cancellationToken);
    }
}
