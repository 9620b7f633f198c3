using Xunit;
using TokenService.Contracts;

namespace TokenService.Tests.Hardware.Profiles;

/// <summary>Every card profile, through the real SoftHSM module and the real CLI, gets the verdict its profile file promises.</summary>
[Collection(ProfilesCollection.Name)]
public sealed class ProfileVerdictTests(ProfilesFixture profiles)
{
    public static TheoryData<string> AllProfiles() => [.. ProfilesFixture.Names()];

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Check_Profile_GivesExpectedVerdict(string profile)
    {
        var report = await profiles.CheckAsync(profile);

        var token = Assert.Single(report.Tokens);
        Assert.Equal(profiles.LabelOf(profile), token.Label);
        Assert.Equal("logged-in", token.Login);
        var key = Assert.Single(token.Keys);
        Assert.Equal(ProfilesFixture.Expected(profile, "EXPECTED_VERDICT"), token.Verdict);
        Assert.Equal(token.Verdict, key.Verdict);
    }

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Check_Profile_ExplainsEveryNonCompatibleVerdict(string profile)
    {
        var report = await profiles.CheckAsync(profile);
        var key = report.Tokens.Single().Keys.Single();

        if (key.Verdict is "tls12-only" or "incompatible")
        {
            Assert.Contains(key.Problems, p => p.Severity is "error" or "warning");
            Assert.NotEmpty(key.Remediation);
        }
        else if (key.Verdict == "client-dependent")
        {
            // Which clients fail is the explanation (ed25519: only GnuTLS signs with it, nothing on the card to fix).
            Assert.Contains(key.Problems, p => p.Code == "some-clients-fail");
        }

        // The verdict agrees with the per-client predictions it summarises (every modeled client is a target).
        var all13 = key.Clients.All(c => c.Tls13.Outcome == "ok");
        var all12 = key.Clients.All(c => c.Tls13.Outcome == "ok" || c.Tls12.Outcome == "ok");
        var some = key.Clients.Any(c => c.Tls13.Outcome == "ok" || c.Tls12.Outcome == "ok");
        switch (key.Verdict)
        {
            case "compatible":
                Assert.True(all13, "compatible but some client fails TLS 1.3");
                break;
            case "tls12-only":
                Assert.True(all12 && !all13, "tls12-only but not every client completes TLS 1.2, or all complete TLS 1.3");
                break;
            case "client-dependent":
                Assert.True(some && !all12, "client-dependent but no client works, or every one does");
                Assert.NotEmpty(report.Tokens.Single().ClientSupport.Neither);
                break;
        }
    }

    /// <summary>
    /// Issue 8 §4: the headline answers for the clients asked about. With Chrome on Windows alone, the profile's
    /// EXPECTED_CHROME_WINDOWS (EXPECTED_VERDICT when the profile does not set it), and the headline names only it.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Check_ProfileForChromeOnWindows_HeadlineForThatClientOnly(string profile)
    {
        var report = await profiles.CheckForClientsAsync(profile, "chrome-windows");

        var token = Assert.Single(report.Tokens);
        var expected = ProfilesFixture.Optional(profile, "EXPECTED_CHROME_WINDOWS") ?? ProfilesFixture.Expected(profile, "EXPECTED_VERDICT");
        Assert.Equal(expected, token.Verdict);
        Assert.Equal(["chrome-windows"], report.TargetClients);
        Assert.Equal(["chrome-windows"], token.ClientSupport.Tls13.Concat(token.ClientSupport.Tls12Only).Concat(token.ClientSupport.Neither));
        Assert.Equal(7, token.Keys.Single().Clients.Count); // every stack is still predicted
    }

    [Fact]
    public async Task Check_PinFromStdin_LogsInAndNeverEchoesThePin()
    {
        var pin = (await File.ReadAllTextAsync(profiles.PinFile)).Trim();
        var result = await Infrastructure.ChildProcess.TokenServiceAsync(
            ["check", "--module", Infrastructure.Repo.SoftHsmModule, "--token", "rsa2048-full", "--format", "json", "--pin-stdin"],
            new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf("rsa2048-full") },
            stdin: pin + "\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"login\": \"logged-in\"", result.Stdout);
        Assert.DoesNotContain(pin, result.Stdout);
        Assert.DoesNotContain(pin, result.Stderr);
    }

    [Fact]
    public async Task Check_WithoutPin_ReportsHiddenPrivateObjectsAndAnUnconfirmedVerdict()
    {
        var result = await Infrastructure.ChildProcess.TokenServiceAsync(
            ["check", "--module", Infrastructure.Repo.SoftHsmModule, "--token", "rsa2048-full", "--format", "json"],
            new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf("rsa2048-full") });

        Assert.Equal(0, result.ExitCode);
        var report = System.Text.Json.JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!;
        var token = Assert.Single(report.Tokens);
        Assert.True(token.PrivateObjectsHidden);
        Assert.Contains(token.Problems, p => (p.Code, p.Severity) == ("private-objects-hidden", "warning"));
        Assert.Equal(("compatible", false), (token.Verdict, token.Confirmed));
    }

    private static readonly string[] PrivateKeyHidden = ["private-key", "CKA_SIGN", "CKA_ALLOWED_MECHANISMS", "CKA_ALWAYS_AUTHENTICATE"];

    /// <summary>
    /// Issue 8 §1: without the PIN every profile still gets a verdict, from its certificate, public key and mechanisms.
    /// Where those decide, it equals the PIN verdict; where an attribute only the private key carries decides
    /// (UNCONFIRMED_BECAUSE in the profile), the report names that attribute among what it could not see. A key whose
    /// CKA_PRIVATE is false (KEY_PRIVATE=false) is read without login: confirmed.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Check_ProfileWithoutPin_VerdictFromWhatTheTokenShows(string profile)
    {
        var withPin = (await profiles.CheckAsync(profile)).Tokens.Single();
        var (exitCode, report) = await profiles.CheckWithoutPinAsync(profile);

        var token = Assert.Single(report.Tokens);
        Assert.Equal(("not-attempted", true), (token.Login, token.PrivateObjectsHidden));
        var key = Assert.Single(token.Keys);
        var visible = ProfilesFixture.Optional(profile, "KEY_PRIVATE") == "false";
        var because = ProfilesFixture.Optional(profile, "UNCONFIRMED_BECAUSE");
        var expected = ProfilesFixture.Optional(profile, "UNCONFIRMED_VERDICT") ?? ProfilesFixture.Expected(profile, "EXPECTED_VERDICT");
        Assert.Equal(expected, token.Verdict);
        Assert.Equal(token.Verdict switch { "compatible" => 0, "tls12-only" => 1, "client-dependent" => 6, _ => 2 }, exitCode);
        Assert.Equal((withPin.Keys[0].KeyType, withPin.Keys[0].Bits, withPin.Keys[0].Curve), (key.KeyType, key.Bits, key.Curve));
        if (visible)
        {
            Assert.Equal((true, true, false), (token.Confirmed, key.Confirmed, key.Private));
            Assert.Empty(key.Hidden);
            Assert.Equal(withPin.Verdict, token.Verdict);
        }
        else
        {
            Assert.Equal((false, false), (token.Confirmed, key.Confirmed));
            Assert.Equal(PrivateKeyHidden, key.Hidden);
        }

        if (because is not null)
        {
            Assert.Contains(because, key.Hidden);
        }
        else
        {
            Assert.Equal(withPin.Verdict, token.Verdict);
        }
    }

    [Fact]
    public async Task Check_TokenShowingNothingWithoutLogin_NoVisibleKeyExit5()
    {
        var directory = Directory.CreateTempSubdirectory("ts-empty-token-");
        try
        {
            var config = Path.Combine(directory.FullName, "softhsm2.conf");
            Directory.CreateDirectory(Path.Combine(directory.FullName, "tokens"));
            await File.WriteAllTextAsync(config, $"directories.tokendir = {directory.FullName}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n");
            var env = new Dictionary<string, string> { ["SOFTHSM2_CONF"] = config };
            Tools.ExternalTool.Run("softhsm2-util", "softhsm2", env, "--init-token", "--free", "--label", "empty", "--pin", "12345678", "--so-pin", "87654321");

            var result = await Infrastructure.ChildProcess.TokenServiceAsync(
                ["check", "--module", Infrastructure.Repo.SoftHsmModule, "--token", "empty", "--format", "json"], env);

            Assert.Equal(5, result.ExitCode);
            var token = Assert.Single(System.Text.Json.JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport)!.Tokens);
            Assert.Equal(("no-visible-key", false), (token.Verdict, token.Confirmed));
            Assert.Empty(token.Keys);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "check", "--format", "xml" }, 64, "--format")]
    [InlineData(new[] { "check", "--module", "/nonexistent/libnothing.so" }, 69, "not found")]
    [InlineData(new[] { "check", "--server-schemes", "rsa_pss_bogus" }, 64, "unknown signature scheme")]
    [InlineData(new[] { "check", "--pin", "1234" }, 64, "--pin")]
    [InlineData(new[] { "check", "--token", "no-such-token", "--pin-env", "TS_TEST_UNSET_VARIABLE" }, 69, "TS_TEST_UNSET_VARIABLE")]
    public async Task Check_BadInput_OneLineErrorAndDocumentedExitCode(string[] args, int exitCode, string mentions)
    {
        var result = await Infrastructure.ChildProcess.TokenServiceAsync(args, new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf("rsa2048-full") });

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(mentions, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
        Assert.Empty(result.Stdout.Trim());
    }
}
