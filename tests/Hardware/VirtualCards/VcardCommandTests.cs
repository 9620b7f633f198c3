using TokenService.Bench;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.VirtualCards;
using Xunit;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>`tokenservice vcard` as a technician runs it, against the one vpcd of the machine.</summary>
[Collection(PcscdCollection.Name)]
public sealed class VcardCommandTests(PcscdFixture pcscd, VirtualCardFixture cards) : IClassFixture<VirtualCardFixture>
{
    private static readonly TimeSpan Accepted = TimeSpan.FromSeconds(10);

    /// <summary>
    /// vpcd takes one card per reader: a second card's connection is queued by the kernel, unanswered, and would
    /// enter unseen once the first card leaves. `vcard` refuses it in one line with exit 75 instead of saying
    /// "inserted", and the refused card does not hold up the next one once the reader is free.
    /// </summary>
    [Fact]
    public async Task Vcard_ReaderAlreadyHoldsACard_RefusesInOneLineWithExit75_AndTheFreedReaderTakesTheNextCard()
    {
        await pcscd.StartPcscdAsync();
        var jpki = cards.Provision(CardKind.Jpki).Path;
        string[] vcard = ["vcard", "jpki", "--reader", "0", "--state", jpki];
        var piv = VirtualCardKinds.Application(cards.Provision(CardKind.Piv));
        ChildProcess.Result refused;
        await using (var held = await VirtualCard.InsertAsync(VirtualReader.First, VirtualCardKinds.PivAtr, Accepted, new CardEdge(piv)))
        {
            await held.Accepted.WaitAsync(Accepted);

            refused = await ChildProcess.TokenServiceAsync(vcard);
        }

        (piv as IDisposable)?.Dispose();

        Assert.True(refused.ExitCode == 75, $"vcard exited {refused.ExitCode}: {refused.Stdout}{refused.Stderr}");
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tokenservice: Virtual PCD 00 00 already holds a card", line, StringComparison.Ordinal);
        Assert.Contains("--reader 1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("inserted", refused.Stdout, StringComparison.Ordinal);

        // The reader is free: the same command now inserts the card, and SIGTERM (here from timeout(1)) removes it.
        var inserted = await ChildProcess.RunAsync("timeout", ["--preserve-status", "-s", "TERM", "10", "dotnet", Path.Combine(AppContext.BaseDirectory, "tokenservice.dll"), .. vcard]);

        Assert.True(inserted.ExitCode == 0, $"vcard exited {inserted.ExitCode}: {inserted.Stdout}{inserted.Stderr}");
        Assert.Contains("jpki card inserted into Virtual PCD 00 00", inserted.Stdout, StringComparison.Ordinal);
        Assert.Contains("jpki card removed from Virtual PCD 00 00", inserted.Stdout, StringComparison.Ordinal);
    }
}
