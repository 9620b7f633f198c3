using System.Collections.Immutable;
using System.Security.Cryptography;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Hosting;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using TokenService.Worker;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>What the watcher tests share: their bounds, the readers, and the demo bench bindings on the test profiles.</summary>
internal static class WatcherBench
{
    /// <summary>pcscd polls vpcd about every 400 ms; a card event takes well under this.</summary>
    public static readonly TimeSpan CardEvent = TimeSpan.FromSeconds(5);

    /// <summary>A first probe starts a JIT probe host (seconds on a loaded 2-core machine); later ones reuse it.</summary>
    public static readonly TimeSpan Verdict = TimeSpan.FromSeconds(60);

    public static readonly string First = VirtualReader.First.Name;
    public static readonly string Second = VirtualReader.Second.Name;

    /// <summary>
    /// A card ATR no other test (or other run on this machine: pcscd and the vpcd readers are one per machine) uses:
    /// T=0, ten random historical bytes. Events for other cards are told apart by it.
    /// </summary>
    public static ImmutableArray<byte> UniqueAtr()
    {
        var atr = new byte[12];
        atr[0] = 0x3B;
        atr[1] = 0x0A;
        RandomNumberGenerator.Fill(atr.AsSpan(2));
        return [.. atr];
    }

    /// <summary>True unless <paramref name="entry"/> is about a card (inserted, probed, checked) other than <paramref name="atr"/>.</summary>
    public static bool AboutCard(WatchEvent entry, ImmutableArray<byte> atr) =>
        entry.Type is not (WatchEventType.CardInserted or WatchEventType.ProbeStarted or WatchEventType.Verdict)
        || (entry.Check?.Atr ?? entry.State?.Atr) == Convert.ToHexString(atr.AsSpan());

    /// <summary>The same, for an event read from <c>GET /api/events</c> (the contract's names).</summary>
    public static bool AboutCard(WatchEventEntry entry, ImmutableArray<byte> atr) =>
        entry.Type is not (WatchEventTypes.CardInserted or WatchEventTypes.ProbeStarted or WatchEventTypes.Verdict)
        || (entry.Check?.Atr ?? entry.State?.Atr) == Convert.ToHexString(atr.AsSpan());

    public static string BindingsFile(ProfilesFixture profiles) => Path.Combine(profiles.Directory, "bindings.json");

    /// <summary>
    /// pcscd running (a test that failed with it stopped must not take the next one down) and the demo bench
    /// bindings written for the test profiles: reader 00 → rsa2048-full, 01 → rsa-pkcs1-only.
    /// </summary>
    public static async Task PrepareAsync(PcscdFixture pcscd, ProfilesFixture profiles)
    {
        await pcscd.StartPcscdAsync();
        await File.WriteAllTextAsync(BindingsFile(profiles), DemoBench.Bindings(profiles.Directory));
    }
}
