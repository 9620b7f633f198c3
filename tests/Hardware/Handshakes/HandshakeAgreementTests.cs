using Xunit;
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
        var actual = await HandshakeScript.RunAsync(profiles, profile, client, tls);

        Assert.False(string.IsNullOrWhiteSpace(actual.Ok ? actual.Scheme : actual.Error), "handshake.sh reported neither a scheme nor an error");
        HandshakeScript.AssertAgrees(report, client, tls, actual);
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
        var actual = await HandshakeScript.RunAsync(profiles, profile, client, "1.2", "--server-sigalgs", "RSA+SHA256:ECDSA+SHA256");

        Assert.False(string.IsNullOrWhiteSpace(actual.Ok ? actual.Scheme : actual.Error), "handshake.sh reported neither a scheme nor an error");
        HandshakeScript.AssertAgrees(report, client, "1.2", actual);
    }
}
