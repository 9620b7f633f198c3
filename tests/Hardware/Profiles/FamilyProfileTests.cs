using System.Text.Json;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.Profiles;

/// <summary>
/// Issue 8 §3: a card family profile is its SoftHSM token seen through softhsm-config/tools/p11view.c, which must
/// answer exactly as the catalog says the family's middleware does: its mechanism list, key sizes and flags
/// (false CKF_HW included), its token info, nothing for a mechanism it does not list, and CKR_MECHANISM_INVALID at
/// C_SignInit for one. The verdict on that view is the catalog's expected verdict (ProfileVerdictTests); the real
/// handshakes through the view (HandshakeAgreementTests) prove the predictions.
/// </summary>
[Collection(ProfilesCollection.Name)]
public sealed class FamilyProfileTests(ProfilesFixture profiles)
{
    public static TheoryData<string> Families() => [.. ProfilesFixture.FamilyNames()];

    [Fact]
    public void Catalog_EveryFamilyHasAProfile()
    {
        Assert.Equal(FamilyCatalog.Families().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal), ProfilesFixture.FamilyNames());
        Assert.True(ProfilesFixture.FamilyNames().Count() >= 12);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Check_FamilyProfile_SeesExactlyTheCatalogsMechanismsWithTheirFlags(string profile)
    {
        var family = FamilyCatalog.Family(ProfilesFixture.Optional(profile, "FAMILY")!);
        var token = Assert.Single((await profiles.CheckAsync(profile)).Tokens);

        var expected = family.GetProperty("mechanisms").EnumerateArray().Select(m => (
            Name: m.GetProperty("name").GetString()!,
            Min: m.GetProperty("minKeySize").GetUInt64(),
            Max: m.GetProperty("maxKeySize").GetUInt64(),
            Flags: m.GetProperty("flags").EnumerateArray().Select(f => "CKF_" + f.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        var seen = token.Mechanisms.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

        // Nothing beyond the list: check asks C_GetMechanismInfo about every mechanism TLS needs, listed or not.
        Assert.All(seen, m => Assert.True(m.Listed, $"{m.Name} answered by C_GetMechanismInfo though not listed"));
        Assert.Equal(expected.Select(m => m.Name), seen.Select(m => m.Name));
        foreach (var (want, got) in expected.Zip(seen))
        {
            Assert.Equal((want.Min, want.Max), (got.MinKeySize, got.MaxKeySize));
            Assert.Equal(want.Flags, got.Flags.Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Check_FamilyProfile_ShowsTheMiddlewaresTokenInfo(string profile)
    {
        var family = FamilyCatalog.Family(ProfilesFixture.Optional(profile, "FAMILY")!);
        var report = await profiles.CheckAsync(profile);
        var token = Assert.Single(report.Tokens);

        Assert.Equal(profiles.LabelOf(profile), token.Label);
        if (family.TryGetProperty("token", out var info))
        {
            AssertField(info, "label", token.Label);
            AssertField(info, "manufacturer", token.Manufacturer);
            AssertField(info, "model", token.Model);
            AssertField(info, "libraryManufacturer", report.Module.Manufacturer);
            AssertField(info, "libraryDescription", report.Module.Description);
        }
        else
        {
            Assert.Equal(profile, token.Label);
        }

        static void AssertField(JsonElement info, string name, string? actual)
        {
            if (info.TryGetProperty(name, out var value))
            {
                Assert.Equal(value.GetString(), actual);
            }
        }
    }

    /// <summary>
    /// Why the view exists: SoftHSM's whitelist hides a mechanism from C_GetMechanismList but C_GetMechanismInfo still
    /// answers for it (GnuTLS then tries PSS on a PKCS#1-only card and fails TLS 1.2 too); the view answers
    /// CKR_MECHANISM_INVALID (0x70) for both calls, as a card without PSS does. Read with tools/p11probe.
    /// </summary>
    [Fact]
    public async Task View_MechanismTheFamilyLacks_RefusedByGetMechanismInfoAndSignInit_WhereSoftHsmAnswers()
    {
        const string profile = "jpki";
        var probe = Path.Combine(profiles.Directory, "tools", "p11probe");
        var environment = new Dictionary<string, string> { ["SOFTHSM2_CONF"] = profiles.ConfigOf(profile) };

        var view = await ChildProcess.RunAsync(probe, [profiles.LabelOf(profile), profiles.PinFile, profiles.ModuleOf(profile)], environment);
        var direct = await ChildProcess.RunAsync(probe, [profile, profiles.PinFile, Repo.SoftHsmModule], environment);

        Assert.True(view.ExitCode == 0, view.Stderr);
        Assert.True(direct.ExitCode == 0, direct.Stderr);
        Assert.Equal("listed=0 C_GetMechanismInfo=0x70 flags=0x0 C_SignInit=0x70", Line(view.Stdout, "CKM_RSA_PKCS_PSS"));
        Assert.Equal("listed=0 C_GetMechanismInfo=0x70 flags=0x0 C_SignInit=0x70", Line(view.Stdout, "CKM_RSA_X_509"));
        Assert.StartsWith("listed=0 C_GetMechanismInfo=0x0 ", Line(direct.Stdout, "CKM_RSA_PKCS_PSS"));
        // What the family lists still signs, through SoftHSM underneath.
        Assert.EndsWith("C_SignInit=0x0 C_Sign=0x0", Line(view.Stdout, "CKM_RSA_PKCS"));
        Assert.StartsWith("listed=1 ", Line(view.Stdout, "CKM_RSA_PKCS"));
        Assert.Contains("C_Login(CKU_USER) rv=0x0", view.Stdout);

        static string Line(string output, string mechanism) =>
            output.Split('\n').Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries)).Single(p => p[0] == mechanism)[1];
    }

    [Fact]
    public async Task View_WithoutViewFile_ModuleRefusesToLoad_AndSaysWhy()
    {
        var scratch = Directory.CreateTempSubdirectory("tokenservice-view-");
        try
        {
            var conf = Path.Combine(scratch.FullName, "softhsm2.conf");
            File.Copy(profiles.ConfigOf("jpki"), conf);
            var result = await ChildProcess.RunAsync(
                "pkcs11-tool", ["--module", profiles.ModuleOf("jpki"), "--list-slots"], new Dictionary<string, string> { ["SOFTHSM2_CONF"] = conf });

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains($"p11view: {Path.Combine(scratch.FullName, "view.conf")}: No such file or directory", result.Stderr);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
