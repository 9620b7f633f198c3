using System.Runtime.InteropServices;
using TokenService.Bench;

namespace TokenService.Cli;

/// <summary>Keeps an inserted virtual card in its reader until Ctrl-C or SIGTERM removes it (`vcard`).</summary>
internal static class VirtualCardHold
{
    public static readonly TimeSpan InsertTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The vpcd reader by its number (0 or 1), or a usage error naming both.</summary>
    public static VirtualReader Reader(int index) => index switch
    {
        0 => VirtualReader.First,
        1 => VirtualReader.Second,
        _ => throw new CliException(ExitCodes.Usage, $"--reader {index}: vpcd has reader 0 ({VirtualReader.First.Name}) and 1 ({VirtualReader.Second.Name})"),
    };

    /// <summary>Inserts a card, or says in one line that vpcd is not there.</summary>
    public static async Task<VirtualCard> InsertAsync(VirtualReader reader, System.Collections.Immutable.ImmutableArray<byte> atr, VirtualCards.CardEdge? edge)
    {
        try
        {
            return await VirtualCard.InsertAsync(reader, atr, InsertTimeout, edge);
        }
        catch (TimeoutException)
        {
            throw new CliException(ExitCodes.Unavailable, $"vpcd is not listening on 127.0.0.1:{reader.Port} ({reader.Name}): is pcscd running with vsmartcard-vpcd? (eng/start-pcscd.sh)");
        }
    }

    /// <summary>Holds <paramref name="card"/> until Ctrl-C, SIGTERM or vpcd going away; then it is removed.</summary>
    public static async Task<int> UntilRemovedAsync(VirtualCard card, string what, TextWriter stdout, CancellationToken cancellationToken)
    {
        await using (card)
        {
            // SIGTERM (systemd, kill, a test's cleanup) removes the card as Ctrl-C does, instead of killing the process.
            using var removal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                removal.Cancel();
            });
            var stopped = Task.Delay(Timeout.Infinite, removal.Token);
            if (await Task.WhenAny(card.Removed, stopped) == card.Removed)
            {
                throw new CliException(ExitCodes.Unavailable, $"vpcd closed the connection of {card.Reader.Name} (pcscd stopped?): the card is out");
            }
        }

        await stdout.WriteLineAsync($"{what} card removed from {card.Reader.Name}");
        return ExitCodes.Success;
    }
}
