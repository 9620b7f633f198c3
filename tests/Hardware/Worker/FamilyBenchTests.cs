using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Profiles;
using Xunit;
using static TokenService.Tests.Hardware.Worker.WatcherBench;

namespace TokenService.Tests.Hardware.Worker;

/// <summary>
/// Issue 8 §3, the demo bench binds ATRs to families: `vcard family ID --reader 0` inserts a card with the family's
/// real ATR; `serve` on the demo bench names it from pcsc-tools' list, maps it to the family, probes the family's
/// profile through tools/p11view.so and judges it with the catalog's expected verdict, confirmed (the bench has the PIN).
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class FamilyBenchTests(PcscdFixture pcscd, ProfilesFixture profiles, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ProfilesFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Task InitializeAsync() => PrepareAsync(pcscd, profiles);

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_FamilyCardsInserted_NamedLocatedAndJudgedAsTheirFamily()
    {
        await using var serve = ServeProcess.Start(["--bindings", BindingsFile(profiles)]);
        await serve.WaitUntilAnsweringAsync(_http, "api/readers", Startup);

        // A YubiKey 5 NFC (PIV through OpenSC), a PKCS#1-only national eID, an EC one.
        foreach (var family in new[] { "yubikey-piv-opensc", "jpki", "esteid-2018" })
        {
            var expected = FamilyCatalog.Family(family);
            await using var card = await VcardProcess.StartAsync(family);
            output.WriteLine($"{family}: inserted, ATR {card.Atr}");

            var reader = await WaitForVerdictAsync(serve, card.Atr, family);

            Assert.Equal(family, reader.Card!.Family);
            Assert.Contains(family, reader.Card.Families);
            var token = Assert.Single(reader.Report!.Tokens);
            Assert.Equal(expected.GetProperty("token").GetProperty("label").GetString(), token.Label);
            Assert.Equal(expected.GetProperty("token").GetProperty("model").GetString(), token.Model);
            Assert.Equal(FamilyCatalog.ExpectedVerdict(family), token.Verdict);
            Assert.True(token.Confirmed, $"{family}: the bench binding gives the PIN, so the verdict is confirmed");
            if (family == "yubikey-piv-opensc")
            {
                // pcsc-tools' smartcard_list.txt names the real YubiKey 5 NFC ATR.
                Assert.Contains(reader.Card.Names, n => n.Contains("Yubico", StringComparison.OrdinalIgnoreCase));
            }

            Assert.Equal(0, await card.StopAsync());
            await WaitForAsync(serve, r => r.Name == First && !r.CardPresent, $"{family}: removal");
            output.WriteLine($"{family}: {token.Verdict}, removed");
        }
    }

    private async Task<ReaderStateEntry> WaitForVerdictAsync(ServeProcess serve, string atr, string family) =>
        await WaitForAsync(serve, r => r.Name == First && r.Atr == atr && r.State == ReaderStateNames.Verdict, $"{family}: a verdict for ATR {atr}");

    private async Task<ReaderStateEntry> WaitForAsync(ServeProcess serve, Func<ReaderStateEntry, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ReaderStateEntry> readers = [];
        while (clock.Elapsed < Verdict)
        {
            readers = await _http.GetFromJsonAsync(new Uri(serve.BaseAddress, "api/readers"), ContractsJsonContext.Default.IReadOnlyListReaderStateEntry) ?? [];
            if (readers.FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{what} did not come within {Verdict}; readers: {string.Join("; ", readers.Select(r => $"{r.Name} {r.State} {r.Atr} {r.Error}"))}\nserve stderr:\n{serve.Stderr}");
        return null!;
    }

    /// <summary>`tokenservice vcard family ID --reader 0` as a child process: a technician's terminal.</summary>
    private sealed class VcardProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private VcardProcess(Process process) => _process = process;

        /// <summary>The inserted card's ATR as the command printed it.</summary>
        public string Atr { get; private set; } = "";

        public static async Task<VcardProcess> StartAsync(string family)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "tokenservice.dll"), "vcard", "family", family, "--reader", "0" })
            {
                start.ArgumentList.Add(argument);
            }

            var vcard = new VcardProcess(Process.Start(start)!);
            vcard._process.ErrorDataReceived += (_, e) => { lock (vcard._output) { vcard._output.AppendLine(e.Data); } };
            vcard._process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(Startup);
            var line = await vcard._process.StandardOutput.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException($"vcard family {family} ended without inserting: {vcard._output}");
            Assert.Contains("inserted into Virtual PCD 00 00", line);
            vcard.Atr = line.Split("(ATR ")[1].TrimEnd(')', ';', ' ').Split(')')[0];
            return vcard;
        }

        /// <summary>SIGTERM (removal), then the exit code.</summary>
        public async Task<int> StopAsync()
        {
            if (!_process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
