using System.Collections.Concurrent;
using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;
using TokenService.Tests.Hardware.ServerProbe;
using Xunit;

namespace TokenService.Tests.Hardware.Handshakes;

/// <summary>
/// `tokenservice handshake` against a strict `openssl s_server -Verify 1 -verify_return_error` on 127.0.0.1, for
/// every synthetic profile and both TLS versions: the real .NET SslStream handshake must agree with the openssl-libp11
/// prediction, its `ok` must be what the server saw (it named and verified the client certificate), the scheme it
/// read off the TLS 1.2 wire must be the one the server decoded, and the PIN must appear in no output.
/// </summary>
/// <remarks>
/// The cases run four at a time, all started by the first test (each is a server and a child process, mostly
/// waiting); every test then checks its own. Each child gets its profile's SOFTHSM2_CONF. The card family profiles
/// are proven by OpenSSL + libp11 and GnuTLS through their view in HandshakeAgreementTests; .NET's handshake signs
/// through the same mechanisms (CKM_RSA_PKCS, CKM_RSA_PKCS_PSS, CKM_RSA_X_509, CKM_ECDSA) that the synthetic profiles
/// here cover, so the families are left out to keep 32 JIT child processes out of CI.
/// </remarks>
[Collection(ProfilesCollection.Name)]
public sealed class LiveHandshakeTests(ProfilesFixture profiles)
{
    private static readonly ConcurrentDictionary<(string Profile, string Tls), Lazy<Task<LiveCase>>> Cases = new();
    private static readonly SemaphoreSlim Slots = new(4);
    private static readonly TimeSpan ServerExitTimeout = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var profile in ProfilesFixture.Names().Where(p => !ProfilesFixture.IsFamily(p)))
        {
            data.Add(profile, "1.3");
            data.Add(profile, "1.2");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Handshake_StrictOpenSslServer_AgreesWithPredictionAndWithTheServer(string profile, string tls)
    {
        Repo.Require("openssl", "openssl");
        Repo.Require("/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so", "libengine-pkcs11-openssl");
        foreach (var (p, t) in Matrix().Select(row => ((string)row[0], (string)row[1])))
        {
            _ = Case(p, t);
        }

        var live = await Case(profile, tls);
        var pin = File.ReadAllText(profiles.PinFile).Trim();
        Assert.DoesNotContain(pin, live.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(pin, live.Stderr, StringComparison.Ordinal);
        Assert.True(live.ExitCode is 0 or 3, $"handshake exited {live.ExitCode}: {live.Stderr}{live.Stdout}");
        var report = JsonSerializer.Deserialize(live.Stdout, ContractsJsonContext.Default.HandshakeReport)!;
        var predicted = report.Predicted;

        Assert.True(report.Agrees,
            $"TLS {tls}: predicted {predicted.Outcome} {predicted.Scheme} ({predicted.Cause}: {predicted.Error}); real {(report.Ok ? "ok" : "fail")} {report.Scheme} ({report.Cause}: {report.Error})");
        Assert.Equal(report.Ok ? 0 : 3, live.ExitCode);
        Assert.True(live.ServerVerifiedClient == report.Ok,
            $"the server {(live.ServerVerifiedClient ? "verified" : "did not verify")} the client certificate, the handshake says ok={report.Ok} ({report.Evidence}): {live.ServerOutputTail}");
        Assert.True(report.ServerCertificateVerified);
        Assert.Equal(tls, report.Tls);
        if (live.ServerScheme is not null)
        {
            // What the server decoded from the client's CertificateVerify (-trace; it decrypts TLS 1.3 too).
            Assert.Equal(live.ServerScheme, predicted.Scheme);
            if (report.Scheme is not null)
            {
                Assert.Equal(live.ServerScheme, report.Scheme);
            }
        }

        if (tls == "1.2" && live.ServerScheme is not null)
        {
            Assert.NotNull(report.Scheme);
        }

        if (!report.Ok)
        {
            Assert.Equal(predicted.Cause, report.Cause);
        }
    }

    private Task<LiveCase> Case(string profile, string tls) =>
        Cases.GetOrAdd((profile, tls), key => new Lazy<Task<LiveCase>>(() => RunAsync(key.Profile, key.Tls))).Value;

    private async Task<LiveCase> RunAsync(string profile, string tls)
    {
        await Slots.WaitAsync();
        try
        {
            var ca = Path.GetDirectoryName(profiles.CaFile)!;
            using var server = OpenSslServer.Start(
                Path.Combine(ca, "server.pem"), Path.Combine(ca, "server.key"),
                "-naccept", "1", "-rev", "-trace", "-CAfile", profiles.CaFile, "-Verify", "1", "-verify_return_error",
                tls == "1.3" ? "-tls1_3" : "-tls1_2");
            var result = await ProfilesFixture.OneAtATimeAsync(profile, () => ChildProcess.TokenServiceAsync(
                [
                    "handshake", "--server", $"127.0.0.1:{server.Port}", "--tls", tls, "--module", profiles.ModuleOf(profile),
                    "--token", profiles.LabelOf(profile), "--server-ca", profiles.CaFile, "--format", "json", "--pin-file", profiles.PinFile,
                ],
                new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf(profile) }));
            if (!result.Stdout.Contains("\"not-attempted\"", StringComparison.Ordinal))
            {
                await server.WaitForExitAsync(ServerExitTimeout);
            }

            return LiveCase.From(result, server.Output, profile);
        }
        finally
        {
            Slots.Release();
        }
    }

    private sealed record LiveCase(
        int ExitCode, string Stdout, string Stderr, bool ServerVerifiedClient, string? ServerScheme, string ServerOutputTail)
    {
        public static LiveCase From(ChildProcess.Result result, string serverOutput, string profile)
        {
            var lines = serverOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            // s_server's summary once the handshake, client Certificate and CertificateVerify included, was accepted.
            var verified = lines.Any(l => l.StartsWith("Peer certificate: ", StringComparison.Ordinal) && l.EndsWith($"CN = {profile}", StringComparison.Ordinal))
                && lines.Contains("Verification: OK");
            return new LiveCase(result.ExitCode, result.Stdout, result.Stderr, verified, ClientSchemeSeenByServer(lines),
                string.Join(" / ", lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Verification", StringComparison.Ordinal)).Take(4)));
        }

        /// <summary>The scheme of the client's CertificateVerify in s_server's -trace ("Signature Algorithm: NAME (0xNNNN)").</summary>
        private static string? ClientSchemeSeenByServer(List<string> lines)
        {
            var received = false;
            var wanted = false;
            foreach (var line in lines)
            {
                if (line.StartsWith("Received Record", StringComparison.Ordinal))
                {
                    received = true;
                }
                else if (line.StartsWith("Sent Record", StringComparison.Ordinal))
                {
                    received = false;
                }
                else if (received && line.TrimStart().StartsWith("CertificateVerify, Length=", StringComparison.Ordinal))
                {
                    wanted = true;
                }
                else if (wanted && line.Contains("Signature Algorithm: ", StringComparison.Ordinal))
                {
                    var name = line[(line.IndexOf("Signature Algorithm: ", StringComparison.Ordinal) + "Signature Algorithm: ".Length)..];
                    var paren = name.IndexOf(" (0x", StringComparison.Ordinal);
                    return paren > 0 ? name[..paren] : name;
                }
            }

            return null;
        }
    }
}
