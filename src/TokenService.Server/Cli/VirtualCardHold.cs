using System.Collections.Immutable;
using System.Runtime.InteropServices;
using TokenService.Bench;
using TokenService.VirtualCards;

namespace TokenService.Cli;

/// <summary>
/// What `vcard` and `vcard family` share: a card inserted into a vpcd reader, confirmed taken, and held there until
/// Ctrl-C or SIGTERM removes it.
/// </summary>
internal static class VirtualCardHold
{
    private static readonly TimeSpan InsertTimeout = TimeSpan.FromSeconds(2);

    /// <summary>pcscd polls each reader about every 400 ms (its status thread), so vpcd asks a card it took for its ATR well within this.</summary>
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The vpcd reader by its number (0 or 1), or a usage error naming both.</summary>
    public static VirtualReader Reader(int index) => index switch
    {
        0 => VirtualReader.First,
        1 => VirtualReader.Second,
        _ => throw new CliException(ExitCodes.Usage, $"--reader {index}: vpcd has reader 0 ({VirtualReader.First.Name}) and 1 ({VirtualReader.Second.Name})"),
    };

    /// <summary>
    /// Inserts a card with <paramref name="atr"/> (answering through <paramref name="edge"/> when given), prints
    /// <paramref name="inserted"/> once vpcd took it, and holds it until Ctrl-C, SIGTERM or vpcd going away.
    /// </summary>
    /// <param name="what">The card's name in the removal line.</param>
    public static async Task<int> RunAsync(
        VirtualReader reader, ImmutableArray<byte> atr, CardEdge? edge, string inserted, string what, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        // SIGTERM (systemd, kill, a test's cleanup) removes the card as Ctrl-C does, instead of killing the process. The
        // registration lasts until the command returns: a second SIGTERM (timeout(1) and systemd signal the process and
        // then its group) dispatched after a registration scoped to the card's block would kill the process
        // mid-removal (exit 143).
        using var removal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            removal.Cancel();
        });

        VirtualCard card;
        try
        {
            card = await VirtualCard.InsertAsync(reader, atr, InsertTimeout, edge);
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

            await stdout.WriteLineAsync(inserted);
            var stopped = Task.Delay(Timeout.Infinite, removal.Token);
            if (await Task.WhenAny(card.Removed, stopped) == card.Removed)
            {
                throw new CliException(ExitCodes.Unavailable, $"vpcd closed the connection of {reader.Name} (pcscd stopped?): the card is out");
            }
        }

        await stdout.WriteLineAsync($"{what} card removed from {reader.Name}");
        return ExitCodes.Success;
    }
}
