using TokenService.Bench;
using TokenService.Hosting;
using TokenService.VirtualCards;

namespace TokenService.Cli;

/// <summary>
/// `vcard piv|piv-ec|jpki --reader N [--state FILE]`: inserts a virtual card into vpcd reader N and keeps it there
/// until SIGINT or SIGTERM (removal). The card answers OpenSC's drivers through pcscd like a real one.
/// </summary>
internal static class VcardCommand
{
    internal sealed record Options(string Kind, int Reader, string? State);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        var kind = CardState.ParseKind(options.Kind) ?? throw new CliException(ExitCodes.Usage, $"unknown card '{options.Kind}': piv, piv-ec or jpki");
        var reader = VirtualCardHold.Reader(options.Reader);

        string path;
        try
        {
            path = options.State ?? await DemoCards.PrepareAsync(kind, Console.Error, time, cancellationToken);
        }
        catch (DemoBenchException e)
        {
            throw new CliException(ExitCodes.Unavailable, e.Message);
        }

        CardState state;
        try
        {
            state = CardState.Load(path);
        }
        catch (CardStateException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }

        if (state.Kind != kind)
        {
            throw new CliException(ExitCodes.Usage, $"{path} holds a {CardState.KindName(state.Kind)} card, not {options.Kind}");
        }

        var application = VirtualCardKinds.Application(state);
        try
        {
            var card = await VirtualCardHold.InsertAsync(reader, VirtualCardKinds.Atr(kind), new CardEdge(application));
            await stdout.WriteLineAsync($"{CardState.KindName(kind)} card inserted into {reader.Name} (ATR {Convert.ToHexString(card.Atr.AsSpan())}, state {path}); Ctrl-C or SIGTERM removes it");
            return await VirtualCardHold.UntilRemovedAsync(card, CardState.KindName(kind), stdout, cancellationToken);
        }
        finally
        {
            (application as IDisposable)?.Dispose();
        }
    }
}
