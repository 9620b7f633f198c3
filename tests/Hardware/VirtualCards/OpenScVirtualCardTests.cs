using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Tests.Hardware.Handshakes;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.Tests.Hardware.Pcsc;
using TokenService.Tests.Hardware.Pkcs11;
using TokenService.VirtualCards;
using Xunit;
using Xunit.Abstractions;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>
/// The whole path a technician's card takes, with nothing simulated but the card: virtual PIV and JPKI cards
/// speak their card edge over vpcd, pcscd passes the APDUs on, OpenSC 0.23's `PIV-II` and `jpki` drivers and
/// opensc-pkcs11.so make a PKCS#11 token of them, and TokenService, pkcs11-tool, OpenSSL + libp11 and GnuTLS use it.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class OpenScVirtualCardTests(VirtualCardFixture cards, ITestOutputHelper output) : IClassFixture<VirtualCardFixture>
{
    /// <summary>`check --pin-file` per card kind, made while that card was inserted (the fixture's cards live as long as the class).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<CardKind, Task<(int ExitCode, TokenService.Contracts.TokenReport? Report, string Stderr)>> Predictions = new();

    [Theory]
    [InlineData("piv")]
    [InlineData("piv-ec")]
    [InlineData("jpki")]
    public async Task Inventory_OpenScToken_EqualsPkcs11ToolListing(string card)
    {
        var kind = CardState.ParseKind(card)!.Value;
        await using var inserted = await VirtualCardFixture.InsertAsync(cards.Provision(kind));
        var mechanisms = Pkcs11ToolOutput.ParseMechanisms(Pkcs11Tool("-M"));
        var objects = Pkcs11ToolOutput.ParseObjects(Pkcs11Tool("-O"));

        var (exitCode, report, stderr) = await VirtualCardFixture.CheckAsync(kind);

        Assert.True(report is not null, $"check exited {exitCode}: {stderr}");
        var token = report.Tokens.Single();
        Assert.Equal(VirtualCardFixture.TokenLabel(kind), token.Label);
        Assert.Equal(
            mechanisms.Select(m => (m.Type, m.MinKeySize, m.MaxKeySize)).Order(),
            token.Mechanisms.Where(m => m.Listed).Select(m => (Convert.ToUInt64(m.Code, 16), m.MinKeySize, m.MaxKeySize)).Order());
        // Without a PIN OpenSC shows only the private keys no PIN guards: PIV 9E (card authentication), none of JPKI's.
        // Those keys are confirmed; every holder certificate and public key stands for a key the PIN would show,
        // unconfirmed; the two CA certificates JPKI carries (03, 04) stand for none.
        var visiblePrivate = objects.Where(o => o.Class == "Private Key").Select(o => o.IdHex!.ToLowerInvariant()).Order().ToList();
        string[] keys = kind == CardKind.Jpki ? ["01"] : ["01", "02", "03", "04"];
        Assert.Equal(keys, token.Keys.Select(k => k.Id).Order());
        Assert.Equal(visiblePrivate, token.Keys.Where(k => k.Confirmed).Select(k => k.Id).Order());
        var types = mechanisms.Select(m => m.Type).ToHashSet();
        if (kind == CardKind.Jpki)
        {
            // card-jpki.c declares PKCS#1 padding on the card only: no raw RSA, so no software PSS either.
            Assert.Contains(Mechanisms.RsaPkcs, types);
            Assert.DoesNotContain(Mechanisms.RsaX509, types);
            Assert.DoesNotContain(Mechanisms.RsaPkcsPss, types);
            // pkcs15-jpki.c marks the signature certificate (EF 0001) private: without a PIN only the authentication
            // certificate and the two CA certificates show.
            Assert.Equal(["01", "03", "04"], objects.Where(o => o.Class == "Certificate").Select(o => o.IdHex!).Order());
        }
        else
        {
            // card-piv.c declares raw RSA: OpenSC adds PKCS#1 and PSS in software on top of it (framework-pkcs15.c).
            Assert.Contains(Mechanisms.RsaX509, types);
            Assert.Contains(Mechanisms.RsaPkcs, types);
            Assert.Contains(Mechanisms.RsaPkcsPss, types);
            Assert.Contains(Mechanisms.Ecdsa, types);
            Assert.Equal(["01", "02", "03", "04"], objects.Where(o => o.Class == "Certificate").Select(o => o.IdHex!).Order());
            Assert.Equal(["04"], token.Keys.Where(k => k.Confirmed).Select(k => k.Id));
        }
    }

    public static TheoryData<string, string, string> HandshakeMatrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var card in new[] { "piv", "piv-ec", "jpki" })
        {
            foreach (var client in new[] { "openssl", "gnutls" })
            {
                foreach (var tls in new[] { "1.3", "1.2" })
                {
                    data.Add(card, client, tls);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// The authentication key (PIV 9A, JPKI's user authentication key) in a real handshake against a strict
    /// `openssl s_server`, with the PIN: the outcome and scheme are what `check` predicted for that stack.
    /// </summary>
    [Theory]
    [MemberData(nameof(HandshakeMatrix))]
    public async Task Handshake_OpenScCard_MatchesPrediction(string card, string client, string tls)
    {
        var kind = CardState.ParseKind(card)!.Value;
        await using var inserted = await VirtualCardFixture.InsertAsync(cards.Provision(kind));
        // One prediction per card serves its four handshakes: a check with the right PIN leaves the card as it was.
        var (exitCode, report, stderr) = await Predictions.GetOrAdd(kind, k => VirtualCardFixture.CheckAsync(k, "--pin-file", cards.PinFileOf(k)));
        Assert.True(report is not null, $"check exited {exitCode}: {stderr}");
        var key = report.Tokens.Single().Keys.Single(k => k.Id == "01");
        var actual = await HandshakeAsync(kind, client, tls);

        Assert.False(string.IsNullOrWhiteSpace(actual.Ok ? actual.Scheme : actual.Error), "handshake.sh reported neither a scheme nor an error");
        WriteAgreement(key, card, client, tls, actual);
        HandshakeScript.AssertAgrees(key, client, tls, actual);
        if (kind == CardKind.Jpki && tls == "1.3")
        {
            Assert.False(actual.Ok, "a PKCS#1-only card cannot make a TLS 1.3 CertificateVerify");
        }
    }

    /// <summary>
    /// A TLS 1.2 server that lists no PSS: the PKCS#1-only JPKI card then authenticates with OpenSSL + libp11's
    /// defaults too (with a stock server they pick PSS first and fail), and with GnuTLS.
    /// </summary>
    [Theory]
    [InlineData("openssl")]
    [InlineData("gnutls")]
    public async Task Handshake_JpkiTls12ServerWithoutPss_SucceedsAsPredicted(string client)
    {
        await using var inserted = await VirtualCardFixture.InsertAsync(cards.Provision(CardKind.Jpki));
        var (exitCode, report, stderr) = await VirtualCardFixture.CheckAsync(
            CardKind.Jpki, "--pin-file", cards.JpkiPinFile, "--server-schemes", "rsa_pkcs1_sha256,ecdsa_secp256r1_sha256");
        Assert.True(report is not null, $"check exited {exitCode}: {stderr}");

        var actual = await HandshakeAsync(CardKind.Jpki, client, "1.2", "--server-sigalgs", "RSA+SHA256:ECDSA+SHA256");

        WriteAgreement(report.Tokens.Single().Keys.Single(k => k.Id == "01"), "jpki (server without PSS)", client, "1.2", actual);
        HandshakeScript.AssertAgrees(report.Tokens.Single().Keys.Single(k => k.Id == "01"), client, "1.2", actual);
        Assert.True(actual.Ok, actual.Error);
        Assert.Equal("rsa_pkcs1_sha256", actual.Scheme);
    }

    [Fact]
    public async Task Check_WrongPinOnce_CardCounterDropsByExactlyOne()
    {
        var state = cards.Provision(CardKind.Piv);
        var wrong = Path.Combine(cards.Directory, "wrong-pin");
        await File.WriteAllTextAsync(wrong, "000000");
        await using var inserted = await VirtualCardFixture.InsertAsync(state);

        var (exitCode, report, stderr) = await VirtualCardFixture.CheckAsync(CardKind.Piv, "--pin-file", wrong);

        // The report goes on without the private keys; one VERIFY reached the card, and no second one.
        Assert.True(exitCode == 7 && report is not null, $"check exited {exitCode}: {stderr}");
        Assert.Equal("failed", report.Tokens.Single().Login);
        Assert.Equal(CardProvisioner.PivPinTries - 1, VirtualCardFixture.TriesLeft(state));
    }

    [Fact]
    public async Task Check_FinalTry_RefusesToLogInAndLeavesTheCounter()
    {
        var state = cards.Provision(CardKind.Piv);
        state.SetTriesLeft(state.Pin(PivApplication.PinReference), 1);
        await using var inserted = await VirtualCardFixture.InsertAsync(state);

        var (exitCode, report, stderr) = await VirtualCardFixture.CheckAsync(CardKind.Piv, "--pin-file", cards.PivPinFile);

        Assert.True(report is not null, $"check exited {exitCode}: {stderr}");
        var token = report.Tokens.Single();
        Assert.Contains("CKF_USER_PIN_FINAL_TRY", token.Flags);
        Assert.Equal("final-try", token.PinStatus);
        Assert.Equal("refused", token.Login); // TokenService's choice: one wrong PIN would block the card
        Assert.Equal(1, VirtualCardFixture.TriesLeft(state));
    }

    [Theory]
    [InlineData("piv")]
    [InlineData("piv-ec")]
    [InlineData("jpki")]
    public async Task Check_SelfTest_EverySignatureVerifies(string card)
    {
        var kind = CardState.ParseKind(card)!.Value;
        await using var inserted = await VirtualCardFixture.InsertAsync(cards.Provision(kind));

        var (exitCode, report, stderr) = await VirtualCardFixture.CheckAsync(kind, "--pin-file", cards.PinFileOf(kind), "--self-test");

        Assert.True(report is not null, $"check exited {exitCode}: {stderr}");
        var signing = report.Tokens.Single().Keys.Where(k => k.Sign).ToList();
        Assert.NotEmpty(signing);
        Assert.All(signing, key =>
        {
            Assert.NotNull(key.SelfTest);
            Assert.Contains(key.SelfTest, t => t.Result == "passed");
            Assert.DoesNotContain(key.SelfTest, t => t.Result == "failed");
        });
    }

    /// <summary>handshake.sh with the card's key 01 (PIV 9A, JPKI user authentication) through OpenSC, its certificate read off the card.</summary>
    private async Task<HandshakeResult> HandshakeAsync(CardKind kind, string client, string tls, params string[] extra)
    {
        var certificate = Path.Combine(cards.Directory, $"{CardState.KindName(kind)}-{client}-{tls}-{Guid.NewGuid():N}.pem");
        Pkcs11Tool("--read-object", "--type", "cert", "--id", "01", "-o", certificate + ".der");
        using (var der = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(certificate + ".der"))
        {
            await File.WriteAllTextAsync(certificate, der.ExportCertificatePem());
        }

        var uri = $"pkcs11:token={Uri.EscapeDataString(VirtualCardFixture.TokenLabel(kind))};id=%01;type=private";
        var actual = await HandshakeScript.RunWithKeyUriAsync(uri, certificate, cards.PinFileOf(kind), cards.CaFile, client, tls, VirtualCardFixture.OpenSc, extra);
        Assert.False(string.IsNullOrWhiteSpace(actual.Ok ? actual.Scheme : actual.Error), "handshake.sh reported neither a scheme nor an error");
        return actual;
    }

    /// <summary>One row of the agreement table (card, client, TLS version: predicted and real outcome) in the test output.</summary>
    private void WriteAgreement(KeyEntry key, string card, string client, string tls, HandshakeResult actual)
    {
        var predicted = key.Clients.Single(c => c.Stack == (client == "openssl" ? "openssl-libp11" : "gnutls"));
        var outcome = tls == "1.3" ? predicted.Tls13 : predicted.Tls12;
        output.WriteLine($"agreement | {card} | {client} | TLS {tls} | predicted {outcome.Outcome} {outcome.Scheme ?? outcome.Error} | real {(actual.Ok ? "ok " + actual.Scheme : "failed: " + actual.Error)}");
    }

    private static string Pkcs11Tool(params string[] arguments) =>
        Tools.ExternalTool.Run("pkcs11-tool", "opensc", new Dictionary<string, string>(), ["--module", VirtualCardFixture.OpenSc, .. arguments]);
}
