using Xunit;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;

namespace TokenService.Tests.Hardware.Handshakes;

/// <summary>
/// The verdict is only as good as its agreement with reality: for every profile, a real TLS 1.3 and TLS 1.2
/// client-auth handshake on 127.0.0.1 (strict `openssl s_server -Verify 1 -verify_return_error`; client
/// OpenSSL + libp11 engine, or GnuTLS) must end the way the engine predicted for that client stack, with the
/// scheme it predicted. "ok" counts only when the server verified the client certificate.
/// </summary>
[Collection(ProfilesCollection.Name)]
public sealed class HandshakeAgreementTests(ProfilesFixture profiles)
{
    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var profile in ProfilesFixture.Names())
        {
            foreach (var client in new[] { "openssl", "gnutls" })
            {
                foreach (var tls in new[] { "1.3", "1.2" })
                {
                    data.Add(profile, client, tls);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Handshake_StockServer_MatchesPrediction(string profile, string client, string tls)
    {
        var report = await profiles.CheckAsync(profile);
        var actual = await HandshakeAsync(profile, client, tls, serverSigalgs: null);

        AssertAgrees(report, client, tls, actual);
    }

    public static TheoryData<string, string> RsaAndEcProfiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var profile in ProfilesFixture.Names().Where(p =>
            p is "rsa2048-full" or "rsa-pkcs1-only" or "rsa-raw-pkcs1" or "rsa-hashed-pss" or "rsa-pss-no-pkcs1" or "ec-p256"))
        {
            data.Add(profile, "openssl");
            data.Add(profile, "gnutls");
        }

        return data;
    }

    /// <summary>A TLS 1.2 server that lists no PSS: PKCS#1-only cards then work with OpenSSL defaults too.</summary>
    [Theory]
    [MemberData(nameof(RsaAndEcProfiles))]
    public async Task Handshake_Tls12ServerWithoutPss_MatchesPrediction(string profile, string client)
    {
        var report = await profiles.CheckAsync(profile, "rsa_pkcs1_sha256,ecdsa_secp256r1_sha256");
        var actual = await HandshakeAsync(profile, client, "1.2", serverSigalgs: "RSA+SHA256:ECDSA+SHA256");

        AssertAgrees(report, client, "1.2", actual);
    }

    private static void AssertAgrees(TokenReport report, string client, string tls, HandshakeResult actual)
    {
        var stack = client == "openssl" ? "openssl-libp11" : "gnutls";
        var prediction = report.Tokens.Single().Keys.Single().Clients.Single(c => c.Stack == stack);
        var predicted = tls == "1.3" ? prediction.Tls13 : prediction.Tls12;

        Assert.True(
            (predicted.Outcome == "ok") == actual.Ok,
            $"{stack} TLS {tls}: predicted {predicted.Outcome} ({predicted.Scheme ?? predicted.Error}), real handshake {(actual.Ok ? "ok " + actual.Scheme : "failed: " + actual.Error)}");
        if (actual.Ok && actual.Scheme is not null and not "unknown")
        {
            Assert.Equal(actual.Scheme, predicted.Scheme);
        }
    }

    private sealed record HandshakeResult(bool Ok, string? Scheme, string? Error);

    private async Task<HandshakeResult> HandshakeAsync(string profile, string client, string tls, string? serverSigalgs)
    {
        Repo.Require("openssl", "openssl");
        Repo.Require(client == "openssl" ? "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so" : "gnutls-cli", client == "openssl" ? "libengine-pkcs11-openssl" : "gnutls-bin");
        List<string> args =
        [
            "--conf", profiles.ConfigOf(profile), "--label", profile, "--pin-file", profiles.PinFile,
            "--ca", profiles.CaFile, "--tls", tls, "--client", client,
        ];
        if (serverSigalgs is not null)
        {
            args.AddRange(["--server-sigalgs", serverSigalgs]);
        }

        var result = await ChildProcess.RunAsync(Repo.Path("softhsm-config", "handshake.sh"), args, timeout: TimeSpan.FromSeconds(40));
        Assert.True(result.ExitCode == 0, $"handshake.sh exited {result.ExitCode}: {result.Stderr}");
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("result=", StringComparison.Ordinal));
        if (line.StartsWith("result=ok", StringComparison.Ordinal))
        {
            var scheme = line.Split(' ').FirstOrDefault(p => p.StartsWith("scheme=", StringComparison.Ordinal))?["scheme=".Length..];
            return new HandshakeResult(true, scheme, null);
        }

        return new HandshakeResult(false, null, line["result=fail error=".Length..]);
    }
}
