using TokenService.Drivers.Snapshots;
using TokenService.Tests.Unit.TestData;

namespace TokenService.Tests.Unit.Verdicts;

/// <summary>
/// A verdict without the PIN (issue 8 §1): with the private keys hidden, every certificate and every public key left
/// over stands for a key, judged from what it shows and marked unconfirmed; never incompatible for lack of a PIN.
/// </summary>
public sealed class WithoutPinTests
{
    private static readonly string[] AllHidden = ["private-key", "CKA_SIGN", "CKA_ALLOWED_MECHANISMS", "CKA_ALWAYS_AUTHENTICATE"];

    /// <summary>Cards whose verdict or findings rest on an attribute only the private key object carries.</summary>
    private static readonly Dictionary<string, (string Attribute, string ProblemWithPin)> DecidedInPrivate = new()
    {
        [Cards.SignFalse] = ("CKA_SIGN", "key-sign-false"),
        [Cards.AllowedPkcs1] = ("CKA_ALLOWED_MECHANISMS", "allowed-mechanisms-exclude-pss"),
        [Cards.AlwaysAuth] = ("CKA_ALWAYS_AUTHENTICATE", "pin-per-signature"),
    };

    public static TheoryData<string> AllCards => [.. Cards.All];

    /// <summary>The card as a token shows it before login: private keys hidden (CKA_PRIVATE true), nothing else.</summary>
    private static TokenSnapshot WithoutPin(string card) =>
        Cards.Get(card) with { PrivateKeys = [], Login = LoginOutcome.NotAttempted };

    [Theory]
    [MemberData(nameof(AllCards))]
    public void BuildToken_CardWithoutPin_OneUnconfirmedKeyNamingWhatWasHidden(string card)
    {
        var withPin = Engine.Report(Cards.Get(card));
        var without = Engine.Report(WithoutPin(card));

        var key = Assert.Single(without.Keys);
        Assert.Equal((false, false), (without.Confirmed, key.Confirmed));
        Assert.Equal(AllHidden, key.Hidden);
        Assert.Contains(key.Problems, p => (p.Code, p.Severity) == ("key-unconfirmed", "info"));
        Assert.Contains(without.Problems, p => (p.Code, p.Severity) == ("private-objects-hidden", "warning"));
        Assert.True(withPin.Confirmed);
        Assert.All(withPin.Keys, k => Assert.Equal((true, 0), (k.Confirmed, k.Hidden.Count)));
        Assert.Equal(withPin.Keys[0].KeyType, key.KeyType);
        Assert.Equal((withPin.Keys[0].Bits, withPin.Keys[0].Curve), (key.Bits, key.Curve));
    }

    [Theory]
    [MemberData(nameof(AllCards))]
    public void BuildToken_CardWithoutPin_SameVerdictWhereTheDecidingFactsArePublic(string card)
    {
        var withPin = Engine.Report(Cards.Get(card));
        var without = Engine.Report(WithoutPin(card));

        if (DecidedInPrivate.TryGetValue(card, out var hidden))
        {
            // The PIN shows the attribute and its finding; without it the key is judged as if the attribute allowed
            // signing, and says that it could not see it.
            Assert.Contains(withPin.Keys[0].Problems, p => p.Code == hidden.ProblemWithPin);
            Assert.DoesNotContain(without.Keys[0].Problems, p => p.Code == hidden.ProblemWithPin);
            Assert.Contains(hidden.Attribute, without.Keys[0].Hidden);
            Assert.Equal("compatible", without.Verdict);
        }
        else
        {
            Assert.Equal(withPin.Verdict, without.Verdict);
            Assert.Equal(withPin.Keys[0].Tls13.Capable, without.Keys[0].Tls13.Capable);
            Assert.Equal(withPin.Keys[0].Tls12.Capable, without.Keys[0].Tls12.Capable);
            Assert.Equal(
                withPin.Keys[0].Clients.Select(c => (c.Stack, c.Tls13.Outcome, c.Tls12.Outcome)),
                without.Keys[0].Clients.Select(c => (c.Stack, c.Tls13.Outcome, c.Tls12.Outcome)));
        }
    }

    [Fact]
    public void BuildToken_PrivateKeyVisibleWithoutLogin_ConfirmedAndNoStandIn()
    {
        // CKA_PRIVATE false: the key object and its attributes are read without login, as many cards present them.
        var token = Cards.Get(Cards.AllowedPkcs1) with { Login = LoginOutcome.NotAttempted };

        var entry = Engine.Report(token);

        var key = Assert.Single(entry.Keys);
        Assert.Equal((true, true, "client-dependent"), (entry.Confirmed, key.Confirmed, key.Verdict));
        Assert.Empty(key.Hidden);
        Assert.True(entry.PrivateObjectsHidden);
    }

    [Fact]
    public void BuildToken_CaCertificateOnTheCardWithoutPin_StandsForNoKey()
    {
        // JPKI cards carry their issuers' certificates beside the holder's: only the holder's stands for a key.
        var caCertificate = TestCa.Issue(TestKeys.P256Other, new CertificateSpec
        {
            Subject = "CN=Card Issuer CA",
            CertificateAuthority = true,
            KeyUsage = System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyCertSign,
            ExtendedKeyUsage = null,
        });
        var card = WithoutPin(Cards.FullRsa);
        var caPublicKey = card.PublicKeys[0] with { Handle = 98, Id = [9] }; // the public key object middleware derives from the CA certificate
        var token = card with
        {
            Certificates = card.Certificates.Add(new CertificateSnapshot { Handle = 99, Id = [9], Label = "CA", Value = caCertificate }),
            PublicKeys = card.PublicKeys.Add(caPublicKey),
        };

        var entry = Engine.Report(token);

        var key = Assert.Single(entry.Keys);
        Assert.Equal("01", key.Id);
        Assert.Equal("compatible", entry.Verdict);
    }

    [Fact]
    public void BuildToken_PublicKeyShowingNoKeyMaterialWithoutPin_StandsForNoKey()
    {
        // OpenSC's JPKI "Digital Signature" token before its PIN: one private public key object, no attribute of the
        // key readable, and its certificate private too.
        var card = WithoutPin(Cards.FullRsa);
        var blank = card.PublicKeys[0] with { Handle = 97, Id = [2], Modulus = [], PublicExponent = [], ModulusBits = null };

        var alone = Engine.Report(card with { Certificates = [], PublicKeys = [blank] });
        var beside = Engine.Report(card with { PublicKeys = card.PublicKeys.Add(blank) });

        Assert.Equal(("no-visible-key", 0), (alone.Verdict, alone.Keys.Count));
        Assert.Equal(("compatible", "01"), (beside.Verdict, Assert.Single(beside.Keys).Id));
    }

    [Fact]
    public void BuildToken_LoginFailed_KeysJudgedUnconfirmedNotIncompatible()
    {
        var token = Cards.Get(Cards.FullRsa) with { PrivateKeys = [], Login = LoginOutcome.Failed, LoginMessage = "CKR_PIN_INCORRECT" };

        var entry = Engine.Report(token);

        Assert.Equal(("compatible", false), (entry.Verdict, entry.Confirmed));
        Assert.Contains(entry.Problems, p => p.Code == "login-failed");
    }

    [Fact]
    public void BuildToken_LoggedInWithACertificateOfNoKey_NoStandIn()
    {
        // Logged in, the private keys are all there: a certificate without one (a CA certificate) is no key.
        var card = Cards.Get(Cards.FullRsa);
        var token = card with { Certificates = [.. card.Certificates, card.Certificates[0] with { Handle = 99, Id = [0x7f] }] };

        Assert.Single(Engine.Report(token).Keys);
    }

    [Fact]
    public void BuildToken_CertificateOfAnotherKeyBesideThePublicKey_BothStandInAndTheMismatchIsSeen()
    {
        var without = Engine.Report(WithoutPin(Cards.Mismatched));

        var key = Assert.Single(without.Keys);
        Assert.False(key.Certificate!.MatchesKey);
        Assert.Contains(key.Problems, p => p.Code == "certificate-key-mismatch");
    }
}
