using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Probing;
using TokenService.Tests.Unit.Infrastructure;
using TokenService.Tests.Unit.TestData;
using Xunit;

namespace TokenService.Tests.Unit.Probing;

public sealed class ProbeHostServerTests : IDisposable
{
    private const string Module = "/usr/lib/softhsm/libsofthsm2.so";

    private readonly TempDirectory dir = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(string Module, InventoryRequest Request, byte[]? PinSeen)> calls = [];

    public void Dispose() => dir.Dispose();

    private static ModuleSnapshot OneToken(string label) => new()
    {
        ModulePath = Module,
        LibraryDescription = "fake",
        Tokens = [new TokenSnapshot { SlotId = 3, SlotDescription = "Virtual PCD 00 00", Label = label, Flags = TokenFlags.TokenInitialized }],
    };

    private ProbeHostServer Server(Func<InventoryRequest, ModuleSnapshot> read) => new((module, request) =>
    {
        calls.Add((module, request, request.Pin is null ? null : [.. request.Pin]));
        return read(request);
    }, time);

    private static string Line(ProbeHostRequest request) => JsonSerializer.Serialize(request, ProbeProtocolJsonContext.Default.ProbeHostRequest);

    [Fact]
    public void Handle_Ping_AnswersReadyWithItsProcessIdAndLoadsNothing()
    {
        var response = Server(_ => throw new InvalidOperationException("must not read")).Handle("""{"id":7}""");

        Assert.Equal(7, response.Id);
        Assert.Equal(ProbeHostStatus.Ready, response.Status);
        Assert.Equal(Environment.ProcessId, response.ProcessId);
        Assert.Empty(calls);
    }

    [Fact]
    public void Handle_Probe_ReadsTheTargetAndAnswersWithTheReport()
    {
        var response = Server(_ => OneToken("t1")).Handle(Line(new ProbeHostRequest { Id = 1, Module = Module, TokenLabel = "t1", SlotDescription = "Virtual PCD 00 00" }));

        Assert.Equal(ProbeHostStatus.Completed, response.Status);
        Assert.Null(response.Error);
        Assert.Equal("t1", Assert.Single(response.Report!.Tokens).Label);
        Assert.Equal(time.GetUtcNow(), response.Report.GeneratedAt);
        Assert.Equal("stock-openssl3", response.Report.Server.Source);
        var call = Assert.Single(calls);
        Assert.Equal(Module, call.Module);
        Assert.Equal("t1", call.Request.TokenLabel);
        Assert.Equal("Virtual PCD 00 00", call.Request.SlotDescription);
        Assert.Null(call.PinSeen);
    }

    [Fact]
    public void Handle_ProbeTakingTime_ElapsedIsMeasuredOnTheGivenClock()
    {
        var response = Server(_ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            return OneToken("t");
        }).Handle(Line(new ProbeHostRequest { Id = 4, Module = Module }));

        Assert.Equal(ProbeHostStatus.Completed, response.Status);
        Assert.Equal(250, response.ElapsedMilliseconds);
    }

    [Fact]
    public void Handle_ClientsChromeWindows_HeadlineAnswersForThatClient()
    {
        var module = new ModuleSnapshot { ModulePath = Module, LibraryDescription = "fake", Tokens = [Cards.Get(Cards.Pkcs1Only)] };

        var all = Server(_ => module).Handle(Line(new ProbeHostRequest { Id = 5, Module = Module }));
        var chrome = Server(_ => module).Handle(Line(new ProbeHostRequest { Id = 6, Module = Module, Clients = "chrome-windows" }));

        // PKCS#1 v1.5 only: TLS 1.2 only in Chrome, neither in OpenSSL+libp11 (docs/tls-client-auth.md).
        Assert.Equal("client-dependent", all.Report!.Verdict);
        Assert.Equal("tls12-only", chrome.Report!.Verdict);
        Assert.Equal(["chrome-windows"], chrome.Report.TargetClients);
        Assert.Equal(7, all.Report.TargetClients.Count);
    }

    [Fact]
    public void Handle_UnknownClient_RefusesWithoutReadingTheToken()
    {
        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 7, Module = Module, Clients = "chrome-windows,lynx" }));

        Assert.Equal(ProbeHostStatus.BadRequest, response.Status);
        Assert.StartsWith("clients: unknown client 'lynx'", response.Error, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Fact]
    public void Handle_PinFile_LogsInWithItsFirstLineAndClearsThePinAfterwards()
    {
        var pinFile = dir.Write("pin", "123456\nsecond line\n");

        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 2, Module = Module, PinFile = pinFile }));

        Assert.Equal(ProbeHostStatus.Completed, response.Status);
        var call = Assert.Single(calls);
        Assert.Equal("123456"u8.ToArray(), call.PinSeen);
        Assert.All(call.Request.Pin!, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Handle_UnreadablePinFile_RefusesWithoutReadingTheToken()
    {
        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 3, Module = Module, PinFile = Path.Combine(dir.Path, "absent") }));

        Assert.Equal(ProbeHostStatus.BadRequest, response.Status);
        Assert.Contains("cannot read", response.Error, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Fact]
    public void Handle_EndlessPinFile_RefusedWithinBoundsAndTheHostServesTheNextRequest()
    {
        var server = Server(_ => OneToken("t"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var refused = server.Handle(Line(new ProbeHostRequest { Id = 8, Module = Module, PinFile = "/dev/zero" }));
        var next = server.Handle(Line(new ProbeHostRequest { Id = 9, Module = Module }));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(ProbeHostStatus.BadRequest, refused.Status);
        Assert.Contains("longer than 256 bytes", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ProbeHostStatus.Completed, next.Status);
        Assert.Single(calls);
    }

    [Fact]
    public void Handle_EmptyPinFilePath_IsABadRequestNotACrash()
    {
        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 10, Module = Module, PinFile = "" }));

        Assert.Equal(ProbeHostStatus.BadRequest, response.Status);
        Assert.Equal("--pin-file: no file given (the path is empty)", response.Error);
    }

    [Fact]
    public void Handle_UnexpectedExceptionAfterTheModuleAnswered_AnswersModuleFailedAndKeepsServing()
    {
        // A snapshot with a default (null) token array makes the host itself throw, past the module call's guard.
        var broken = true;
        var server = Server(_ => broken ? OneToken("t") with { Tokens = default } : OneToken("t"));

        var response = server.Handle(Line(new ProbeHostRequest { Id = 11, Module = Module }));
        broken = false;
        var next = server.Handle(Line(new ProbeHostRequest { Id = 12, Module = Module }));

        Assert.Equal(11, response.Id);
        Assert.Equal(ProbeHostStatus.ModuleFailed, response.Status);
        Assert.StartsWith("probe host: unexpected ", response.Error, StringComparison.Ordinal);
        Assert.Equal(ProbeHostStatus.Completed, next.Status);
    }

    [Fact]
    public void Handle_ServerSchemes_PredictsAgainstThatServer()
    {
        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 4, Module = Module, ServerSchemes = "rsa_pss_rsae_sha256,0x0403" }));

        Assert.Equal("given", response.Report!.Server.Source);
        Assert.Equal(["rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256"], response.Report.Server.Tls13Schemes);
    }

    [Fact]
    public void Handle_UnknownServerScheme_IsABadRequest()
    {
        var response = Server(_ => OneToken("t")).Handle(Line(new ProbeHostRequest { Id = 5, Module = Module, ServerSchemes = "rsa_bogus" }));

        Assert.Equal(ProbeHostStatus.BadRequest, response.Status);
        Assert.Contains("rsa_bogus", response.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Pkcs11Failure.TokenRemoved, ProbeHostStatus.RemovedDuringProbe)]
    [InlineData(Pkcs11Failure.InitializeFailed, ProbeHostStatus.ModuleFailed)]
    [InlineData(Pkcs11Failure.ModuleLoadFailed, ProbeHostStatus.ModuleFailed)]
    [InlineData(Pkcs11Failure.ModuleNotFound, ProbeHostStatus.ModuleFailed)]
    [InlineData(Pkcs11Failure.CallFailed, ProbeHostStatus.ModuleFailed)]
    internal void Handle_ModuleException_BecomesItsStatusWithTheMessage(Pkcs11Failure failure, ProbeHostStatus status)
    {
        var response = Server(_ => throw new Pkcs11ModuleException(failure, Module, "C_GetTokenInfo", 0x32, "CKR_DEVICE_REMOVED"))
            .Handle(Line(new ProbeHostRequest { Id = 6, Module = Module }));

        Assert.Equal(6, response.Id);
        Assert.Equal(status, response.Status);
        Assert.Equal($"PKCS#11 module {Module}: C_GetTokenInfo failed: CKR_DEVICE_REMOVED", response.Error);
    }

    [Fact]
    public void Handle_UnexpectedExceptionFromTheModule_IsAModuleFailureAndTheHostGoesOn()
    {
        var server = Server(request => request.TokenLabel == "bad" ? throw new ArgumentOutOfRangeException("value") : OneToken("good"));

        var failed = server.Handle(Line(new ProbeHostRequest { Id = 1, Module = Module, TokenLabel = "bad" }));
        var next = server.Handle(Line(new ProbeHostRequest { Id = 2, Module = Module, TokenLabel = "good" }));

        Assert.Equal(ProbeHostStatus.ModuleFailed, failed.Status);
        Assert.Contains("ArgumentOutOfRangeException", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ProbeHostStatus.Completed, next.Status);
    }

    [Theory]
    [InlineData("t", null, "no token labelled 't' in /usr/lib/softhsm/libsofthsm2.so")]
    [InlineData(null, "Reader 1", "no token in a slot named 'Reader 1' in /usr/lib/softhsm/libsofthsm2.so")]
    [InlineData(null, null, "no token present in any slot of /usr/lib/softhsm/libsofthsm2.so")]
    public void Handle_NoTokenMatches_SaysWhatWasLookedFor(string? label, string? slot, string error)
    {
        var response = Server(_ => new ModuleSnapshot { ModulePath = Module }).Handle(Line(new ProbeHostRequest { Id = 8, Module = Module, TokenLabel = label, SlotDescription = slot }));

        Assert.Equal(ProbeHostStatus.TokenNotFound, response.Status);
        Assert.Equal(error, response.Error);
    }

    [Fact]
    public void Handle_OnlyAnUninitializedToken_TokenNotFoundSayingSo()
    {
        var blank = OneToken("") with { Tokens = [OneToken("").Tokens[0] with { Flags = TokenFlags.Rng }] };

        var response = Server(_ => blank).Handle(Line(new ProbeHostRequest { Id = 9, Module = Module, SlotDescription = "Virtual PCD 00 00" }));

        Assert.Equal(ProbeHostStatus.TokenNotFound, response.Status);
        Assert.Equal("no token in a slot named 'Virtual PCD 00 00' in /usr/lib/softhsm/libsofthsm2.so (only an uninitialized token, without CKF_TOKEN_INITIALIZED)", response.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"id":"one"}""")]
    public void Handle_UnreadableLine_IsABadRequest(string line)
    {
        var response = Server(_ => OneToken("t")).Handle(line);

        Assert.Equal(ProbeHostStatus.BadRequest, response.Status);
        Assert.StartsWith("unreadable request", response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SeveralRequests_AnswersEachOnOneLineInOrderAcceptingProbesFirst()
    {
        var input = new StringReader(string.Join('\n', """{"id":1}""", "", Line(new ProbeHostRequest { Id = 2, Module = Module, TokenLabel = "t" }), "garbage", "{\"id\":3}") + "\n");
        using var output = new MemoryStream();

        await Server(_ => OneToken("t")).RunAsync(input, output, TimeSpan.FromSeconds(5), () => Assert.Fail("abandoned"), CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Equal("", lines[^1]);
        var responses = lines[..^1].Select(l => JsonSerializer.Deserialize(l, ProbeProtocolJsonContext.Default.ProbeHostResponse)!).ToList();
        Assert.Equal([1L, 2L, 2L, 0L, 3L], responses.Select(r => r.Id));
        Assert.Equal(
            [ProbeHostStatus.Ready, ProbeHostStatus.Accepted, ProbeHostStatus.Completed, ProbeHostStatus.BadRequest, ProbeHostStatus.Ready],
            responses.Select(r => r.Status));
    }

    [Fact]
    public async Task RunAsync_InputEndsWhileAModuleHangs_AbandonsAfterTheDrainTime()
    {
        using var release = new ManualResetEventSlim();
        var abandoned = new TaskCompletionSource();
        var server = new ProbeHostServer((_, _) => { release.Wait(TimeSpan.FromSeconds(30)); return OneToken("t"); }, TimeProvider.System);
        using var output = new MemoryStream();

        var run = server.RunAsync(new StringReader(Line(new ProbeHostRequest { Id = 1, Module = Module }) + "\n"), output, TimeSpan.FromMilliseconds(200), () => abandoned.TrySetResult(), CancellationToken.None);

        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(10));
        release.Set();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
