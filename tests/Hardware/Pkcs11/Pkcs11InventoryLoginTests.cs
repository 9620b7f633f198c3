using TokenService.Drivers.Snapshots;
using Xunit;

namespace TokenService.Tests.Hardware.Pkcs11;

/// <summary>
/// The PIN rules, seen from the module's side: inventories run through pkcs11-spy, which logs every call it
/// forwards to SoftHSM, so "exactly one C_Login" is counted, not assumed.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11InventoryLoginTests(SoftHsmFixture softHsm)
{
    private const string WrongPin = "999999";

    [Fact]
    public void Read_WrongPin_FailsWithCkrNameAfterExactlyOneLogin()
    {
        var (module, calls) = ReadThroughSpy(SoftHsmFixture.TokenLabel, WrongPin);

        var token = Assert.Single(module.Tokens);
        Assert.Equal(LoginOutcome.Failed, token.Login);
        Assert.Equal("C_Login returned CKR_PIN_INCORRECT", token.LoginMessage);
        Assert.Equal(1, calls.Count(c => c == "C_Login"));
        Assert.DoesNotContain("C_Logout", calls);
        Assert.Empty(token.PrivateKeys);
        Assert.Equal(3, token.PublicKeys.Length);
    }

    [Fact]
    public void Read_RightPinAfterWrongPin_LogsInAndSeesPrivateKeys()
    {
        ReadThroughSpy(SoftHsmFixture.TokenLabel, WrongPin);

        var (module, _) = ReadThroughSpy(SoftHsmFixture.TokenLabel, SoftHsmFixture.UserPin);

        var token = Assert.Single(module.Tokens);
        Assert.Equal(LoginOutcome.LoggedIn, token.Login);
        Assert.Null(token.LoginMessage);
        Assert.Equal(3, token.PrivateKeys.Length);
    }

    [Fact]
    public void Read_WithPin_LogsInOnceAndLogsOutAfterTheLastRead()
    {
        var (_, calls) = ReadThroughSpy(SoftHsmFixture.TokenLabel, SoftHsmFixture.UserPin);

        Assert.Equal(1, calls.Count(c => c == "C_Login"));
        Assert.Equal(1, calls.Count(c => c == "C_Logout"));
        Assert.True(calls.IndexOf("C_Login") < calls.IndexOf("C_FindObjectsInit"));
        Assert.True(calls.LastIndexOf("C_GetAttributeValue") < calls.IndexOf("C_Logout"));
        Assert.True(calls.IndexOf("C_Logout") < calls.LastIndexOf("C_CloseSession"));
    }

    [Fact]
    public void Read_WithoutPin_NeverCallsLogin()
    {
        var (module, calls) = ReadThroughSpy(SoftHsmFixture.TokenLabel, pin: null);

        Assert.Equal(LoginOutcome.NotAttempted, Assert.Single(module.Tokens).Login);
        Assert.DoesNotContain("C_Login", calls);
        Assert.Contains("C_FindObjectsInit", calls);
    }

    [Fact]
    public void Read_UninitializedTokenWithPin_RefusesByPolicyWithoutLogin()
    {
        var (module, calls) = ReadThroughSpy(tokenLabel: null, SoftHsmFixture.UserPin);

        // SoftHSM always offers one free slot whose token lacks CKF_TOKEN_INITIALIZED.
        var free = Assert.Single(module.Tokens, t => (t.Flags & TokenFlags.TokenInitialized) == 0);
        Assert.Equal(LoginOutcome.RefusedByPolicy, free.Login);
        Assert.Contains("CKF_TOKEN_INITIALIZED", free.LoginMessage, StringComparison.Ordinal);
        Assert.Equal(LoginOutcome.LoggedIn, Assert.Single(module.Tokens, t => t.Label == SoftHsmFixture.TokenLabel).Login);
        Assert.Equal(1, calls.Count(c => c == "C_Login"));
    }

    [Fact]
    public void Read_AnyPin_NoSnapshotTextContainsThePin()
    {
        var (wrong, _) = ReadThroughSpy(tokenLabel: null, WrongPin);
        var (right, _) = ReadThroughSpy(tokenLabel: null, SoftHsmFixture.UserPin);

        foreach (var text in new[] { wrong, right }.SelectMany(m => m.Tokens).SelectMany(t => new[] { t.LoginMessage, t.ToString() }))
        {
            Assert.DoesNotContain(WrongPin, text ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(SoftHsmFixture.UserPin, text ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>One inventory through the spy, and the calls it made.</summary>
    private (ModuleSnapshot Module, List<string> Calls) ReadThroughSpy(string? tokenLabel, string? pin)
    {
        var before = softHsm.SpiedCalls().Count;
        var module = SoftHsmFixture.Read(SoftHsmFixture.SpyModulePath, tokenLabel, pin);
        return (module, softHsm.SpiedCalls().Skip(before).ToList());
    }
}
