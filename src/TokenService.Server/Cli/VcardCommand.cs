using System.Runtime.InteropServices;
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

    private static readonly TimeSpan InsertTimeout = TimeSpan.FromSeconds(2);

    /// <summary>pcscd polls each reader about every 400 ms (its status thread), so vpcd asks a card it took for its ATR well within this.</summary>
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(Options options, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        var kind = CardState.ParseKind(options.Kind) ?? throw new CliException(ExitCodes.Usage, $"unknown card '{options.Kind}': piv, piv-ec or jpki");
        var reader = options.Reader switch
        {
            0 => VirtualReader.First,
            1 => VirtualReader.Second,
            _ => throw new CliException(ExitCodes.Usage, $"--reader {options.Reader}: vpcd has reader 0 ({VirtualReader.First.Name}) and 1 ({VirtualReader.Second.Name})"),
        };

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

        // SIGTERM (systemd, kill, a test's cleanup) removes the card as Ctrl-C does, instead of killing the process. The
        // registration lasts until the command returns: a second SIGTERM (timeout(1) and systemd signal the process and
        // then its group) that came after the card's block would otherwise kill the process mid-removal (exit 143).
        using var removal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            removal.Cancel();
        });
        var application = VirtualCardKinds.Application(state);
        try
        {
            VirtualCard card;
            try
            {
                card = await VirtualCard.InsertAsync(reader, VirtualCardKinds.Atr(kind), InsertTimeout, new CardEdge(application));
            }
            catch (TimeoutException)
            {
                throw new CliException(ExitCodes.Unavailable, $"vpcd is not listening on 127.0.0.1:{reader.Port} ({reader.Name}): is pcscd running with vsmartcard-vpcd? (eng/start-pcscd.sh)");
            }

            await using (card)
            {
                // A connection vpcd leaves unanswered waits behind the card already in that reader, and would slip in
                // unseen once that card leaves: refuse instead of saying "inserted".
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(removal.Token);
                var first = await Task.WhenAny(card.Accepted, card.Removed, Task.Delay(AcceptTimeout, time, waiting.Token));
                await waiting.CancelAsync();
                removal.Token.ThrowIfCancellationRequested();
                if (first != card.Accepted)
                {
                    throw first == card.Removed
                        ? new CliException(ExitCodes.Unavailable, $"vpcd closed the connection of {reader.Name} before taking the card (pcscd stopped?)")
                        : new CliException(ExitCodes.ReaderOccupied, $"{reader.Name} already holds a card (vpcd takes one per reader and did not take this one within {AcceptTimeout.TotalSeconds:0} s): remove that card first, or use --reader {(reader == VirtualReader.First ? 1 : 0)}");
                }

                await stdout.WriteLineAsync($"{CardState.KindName(kind)} card inserted into {reader.Name} (ATR {Convert.ToHexString(card.Atr.AsSpan())}, state {path}); Ctrl-C or SIGTERM removes it");
                var stopped = Task.Delay(Timeout.Infinite, removal.Token);
                if (await Task.WhenAny(card.Removed, stopped) == card.Removed)
                {
                    throw new CliException(ExitCodes.Unavailable, $"vpcd closed the connection of {reader.Name} (pcscd stopped?): the card is out");
                }
            }

            await stdout.WriteLineAsync($"{CardState.KindName(kind)} card removed from {reader.Name}");
            return ExitCodes.Success;
        }
        finally
        {
            (application as IDisposable)?.Dispose();
        }
    }
}
