using TokenService.Drivers.Snapshots;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;
using M = TokenService.Drivers.Snapshots.Mechanisms;

namespace TokenService.Tests.Unit.Verdicts.Findings;

/// <summary>For every problem code, a token (and server) on which the engine must report it, with its severity.</summary>
internal static class FindingScenarios
{
    public static readonly IReadOnlyDictionary<string, (string Severity, Func<TokenSnapshot> Token, string Server)> ByCode =
        new Dictionary<string, (string, Func<TokenSnapshot>, string)>
        {
            ["certificate-missing"] = ("error", () => Cards.Get(Cards.NoCertificate), Servers.Stock),
            ["certificate-unreadable"] = ("error", UnreadableCertificate, Servers.Stock),
            ["certificate-key-mismatch"] = ("error", () => Cards.Get(Cards.Mismatched), Servers.Stock),
            ["certificate-expired"] = ("error", () => Cards.Get(Cards.Expired), Servers.Stock),
            ["certificate-not-yet-valid"] = ("error", () => Cards.Get(Cards.NotYetValid), Servers.Stock),
            ["certificate-no-digital-signature"] = ("error", () => Cards.Get(Cards.NoDigitalSignature), Servers.Stock),
            ["certificate-no-client-auth"] = ("error", () => Cards.Get(Cards.ServerAuthOnly), Servers.Stock),
            ["key-sign-false"] = ("error", () => Cards.Get(Cards.SignFalse), Servers.Stock),
            ["rsa-key-below-server-minimum"] = ("error", () => Cards.Get(Cards.Rsa1024), Servers.Stock),
            ["curve-not-allowed"] = ("error", () => Cards.Get(Cards.Secp256k1), Servers.Stock),
            ["no-usable-scheme"] = ("error", () => Cards.Get(Cards.EcHashedOnly), Servers.Stock),
            ["no-pss-route"] = ("warning", () => Cards.Get(Cards.Pkcs1Only), Servers.Stock),
            ["pss-only-hashed-on-token"] = ("warning", () => Cards.Get(Cards.HashedPssOnly), Servers.Stock),
            ["allowed-mechanisms-exclude-pss"] = ("warning", () => Cards.Get(Cards.AllowedPkcs1), Servers.Stock),
            ["tls13-needs-software-pss"] = ("warning", () => Cards.Get(Cards.RawPkcs1), Servers.Stock),
            ["no-pkcs1-route"] = ("warning", () => Cards.Get(Cards.PssNoPkcs1), Servers.Stock),
            ["openssl-picks-pss-in-tls12"] = ("warning", () => Cards.Get(Cards.Pkcs1Only), Servers.Stock),
            ["pin-per-signature"] = ("warning", () => Cards.Get(Cards.AlwaysAuth), Servers.Stock),
            ["certificate-key-unverified"] = ("warning", () => Cards.Get(Cards.EcNoPublicKey), Servers.Stock),
            ["key-size-outside-mechanism-range"] = ("info", PssMinimumAboveKey, Servers.Stock),
            ["chrome-lacks-curve-in-tls12"] = ("warning", () => Cards.Get(Cards.P521), Servers.Stock),
            ["brainpool-not-in-browsers"] = ("warning", () => Cards.Get(Cards.Brainpool), Servers.Stock),
            ["server-offers-no-usable-scheme"] = ("warning", () => Cards.Get(Cards.FullRsa), Servers.EcdsaOnly),
            ["some-clients-fail"] = ("info", () => Cards.Get(Cards.Pkcs1Only), Servers.Stock),
            ["pin-locked"] = ("error", () => Rsa(TokenFlags.UserPinLocked, LoginOutcome.RefusedByPolicy), Servers.Stock),
            ["pin-final-try"] = ("warning", () => Rsa(TokenFlags.UserPinFinalTry, LoginOutcome.RefusedByPolicy), Servers.Stock),
            ["pin-count-low"] = ("warning", () => Rsa(TokenFlags.UserPinCountLow, LoginOutcome.LoggedIn), Servers.Stock),
            ["pin-to-be-changed"] = ("warning", () => Rsa(TokenFlags.UserPinToBeChanged, LoginOutcome.LoggedIn), Servers.Stock),
            ["login-failed"] = ("warning", () => Rsa(0, LoginOutcome.Failed, "CKR_PIN_INCORRECT"), Servers.Stock),
            ["login-refused"] = ("warning", () => Rsa(TokenFlags.ProtectedAuthenticationPath, LoginOutcome.RefusedByPolicy, "PIN pad reader"), Servers.Stock),
            ["private-objects-hidden"] = ("warning", () => TokenBuilder.With(MechanismSets.FullRsa).Login(LoginOutcome.NotAttempted).Build(), Servers.Stock),
            ["key-unconfirmed"] = ("info", () => Cards.Get(Cards.FullRsa) with { PrivateKeys = [], Login = LoginOutcome.NotAttempted }, Servers.Stock),
            ["no-private-keys"] = ("error", () => TokenBuilder.With(MechanismSets.FullRsa).Build(), Servers.Stock),
            ["eddsa-key-breaks-libp11"] = ("warning", () => Cards.Get(Cards.Ed25519), Servers.Stock),
            ["unlisted-mechanism-answered"] = ("warning", () => Cards.Get(Cards.UnlistedPss), Servers.Stock),
        };

    private static TokenSnapshot UnreadableCertificate() =>
        TokenBuilder.With(MechanismSets.FullRsa).Key(TestKeys.Rsa2048, k => k with { CertificateValue = [0x30, 0x03, 0x02, 0x01, 0x01] }).Build();

    private static TokenSnapshot PssMinimumAboveKey() =>
        TokenBuilder.With([MechanismSets.Signing(M.RsaPkcs), MechanismSets.Signing(M.RsaPkcsPss, min: 3072, max: 4096)]).Key(TestKeys.Rsa2048).Build();

    private static TokenSnapshot Rsa(ulong extraFlags, LoginOutcome login, string? message = null) =>
        TokenBuilder.With(MechanismSets.FullRsa).Flags(TokenBuilder.DefaultFlags | extraFlags).Login(login, message).Key(TestKeys.Rsa2048).Build();
}
