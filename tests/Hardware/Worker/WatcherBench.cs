using TokenService.Bench;
using TokenService.Hosting;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;

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
