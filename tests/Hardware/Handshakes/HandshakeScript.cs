using Xunit;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Profiles;

namespace TokenService.Tests.Hardware.Handshakes;

/// <summary>What softhsm-config/handshake.sh printed: ok with the scheme the server saw, or the failure's causes.</summary>
internal sealed record HandshakeResult(bool Ok, string? Scheme, string? Error);

/// <summary>
/// Runs softhsm-config/handshake.sh: one real client-auth handshake with a provisioned profile's token key against a
/// strict `openssl s_server` on 127.0.0.1, and compares it with the engine's prediction.
/// </summary>
internal static class HandshakeScript
{
    /// <param name="client">`openssl` (s_client + libp11 engine) or `gnutls` (gnutls-cli).</param>
    /// <param name="tls">`1.3` or `1.2`.</param>
    /// <param name="extra">More handshake.sh options, e.g. `--server-sigalgs LIST` or `--server-ca FILE`.</param>
    public static async Task<HandshakeResult> RunAsync(ProfilesFixture profiles, string profile, string client, string tls, params string[] extra)
    {
        Repo.Require("openssl", "openssl");
        Repo.Require(client == "openssl" ? "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so" : "gnutls-cli", client == "openssl" ? "libengine-pkcs11-openssl" : "gnutls-bin");
        List<string> args =
        [
            "--conf", profiles.ConfigOf(profile), "--label", profiles.LabelOf(profile), "--pin-file", profiles.PinFile,
            "--ca", profiles.CaFile, "--tls", tls, "--client", client, "--module", profiles.ModuleOf(profile), .. extra,
        ];

        return await ProfilesFixture.OneAtATimeAsync(profile, () => RunScriptAsync(args));
    }

    /// <summary>
    /// A handshake with a key another module serves (e.g. OpenSC reading a virtual card), by its pkcs11: URI: the
    /// openssl client loads <paramref name="module"/> directly, GnuTLS goes through p11-kit (where the module must be registered).
    /// </summary>
    public static Task<HandshakeResult> RunWithKeyUriAsync(string keyUri, string certificate, string pinFile, string caFile, string client, string tls, string module, params string[] extra)
    {
        Repo.Require("openssl", "openssl");
        Repo.Require(client == "openssl" ? "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so" : "gnutls-cli", client == "openssl" ? "libengine-pkcs11-openssl" : "gnutls-bin");
        List<string> args =
        [
            "--key-uri", keyUri, "--cert", certificate, "--pin-file", pinFile, "--ca", caFile, "--tls", tls, "--client", client,
            "--timeout", "30", .. client == "openssl" ? new[] { "--module", module } : [], .. extra,
        ];
        return RunScriptAsync(args);
    }

    private static async Task<HandshakeResult> RunScriptAsync(List<string> args)
    {
        var result = await ChildProcess.RunAsync(Repo.Path("softhsm-config", "handshake.sh"), args, timeout: TimeSpan.FromSeconds(80));
        Assert.True(result.ExitCode == 0, $"handshake.sh exited {result.ExitCode}: {result.Stderr}");
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("result=", StringComparison.Ordinal));
        if (line.StartsWith("result=ok", StringComparison.Ordinal))
        {
            var scheme = line.Split(' ').FirstOrDefault(p => p.StartsWith("scheme=", StringComparison.Ordinal))?["scheme=".Length..];
            return new HandshakeResult(true, scheme, null);
        }

        return new HandshakeResult(false, null, line["result=fail error=".Length..]);
    }

    /// <summary>The real handshake ended as the report predicted for that client stack, with the predicted scheme.</summary>
    public static void AssertAgrees(TokenReport report, string client, string tls, HandshakeResult actual) =>
        AssertAgrees(report.Tokens.Single().Keys.Single(), client, tls, actual);

    /// <summary>The real handshake ended as predicted for <paramref name="key"/> and that client stack, with the predicted scheme.</summary>
    public static void AssertAgrees(KeyEntry key, string client, string tls, HandshakeResult actual)
    {
        var stack = client == "openssl" ? "openssl-libp11" : "gnutls";
        var prediction = key.Clients.Single(c => c.Stack == stack);
        var predicted = tls == "1.3" ? prediction.Tls13 : prediction.Tls12;

        Assert.True(
            (predicted.Outcome == "ok") == actual.Ok,
            $"{stack} TLS {tls}: predicted {predicted.Outcome} ({predicted.Scheme ?? predicted.Error}), real handshake {(actual.Ok ? "ok " + actual.Scheme : "failed: " + actual.Error)}");
        if (actual.Ok && actual.Scheme is not null and not "unknown")
        {
            Assert.Equal(actual.Scheme, predicted.Scheme);
        }
    }
}
