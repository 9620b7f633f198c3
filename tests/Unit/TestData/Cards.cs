using System.Collections.Concurrent;
using TokenService.Drivers.Snapshots;
using M = TokenService.Drivers.Snapshots.Mechanisms;

namespace TokenService.Tests.Unit.TestData;

/// <summary>
/// The card families of docs/tls-client-auth.md (§3, §7) as ready tokens with one key each, by name, so that
/// theory rows can say "pkcs1-only" and mean one well-defined token. Built once and shared (immutable).
/// </summary>
internal static class Cards
{
    public const string FullRsa = "full-rsa";
    public const string Pkcs1Only = "pkcs1-only";
    public const string RawPkcs1 = "raw-pkcs1";
    public const string HashedPssOnly = "hashed-pss-only";
    public const string PssNoPkcs1 = "pss-no-pkcs1";
    public const string HashedOnly = "hashed-only";
    public const string AllowedPkcs1 = "allowed-pkcs1";
    public const string SignFalse = "sign-false";
    public const string Rsa1024 = "rsa-1024";
    public const string AlwaysAuth = "always-authenticate";
    public const string UnlistedPss = "pkcs1-only-unlisted-pss-answered";
    public const string RsaPssCertificate = "rsa-pss-certificate";
    public const string P256 = "p256";
    public const string P384 = "p384";
    public const string P521 = "p521";
    public const string Secp256k1 = "secp256k1";
    public const string Brainpool = "brainpoolP256r1";
    public const string EcHashedOnly = "ec-hashed-only";
    public const string Ed25519 = "ed25519";
    public const string Expired = "expired";
    public const string NotYetValid = "not-yet-valid";
    public const string NoDigitalSignature = "no-digital-signature";
    public const string ServerAuthOnly = "server-auth-only";
    public const string Mismatched = "mismatched";
    public const string NoCertificate = "no-certificate";
    public const string EcNoPublicKey = "ec-no-public-key-object";

    private static readonly ConcurrentDictionary<string, Lazy<TokenSnapshot>> Built = new();

    public static IReadOnlyList<string> All { get; } =
    [
        FullRsa, Pkcs1Only, RawPkcs1, HashedPssOnly, PssNoPkcs1, HashedOnly, AllowedPkcs1, SignFalse, Rsa1024,
        AlwaysAuth, UnlistedPss, RsaPssCertificate, P256, P384, P521, Secp256k1, Brainpool, EcHashedOnly, Ed25519,
        Expired, NotYetValid, NoDigitalSignature, ServerAuthOnly, Mismatched, NoCertificate, EcNoPublicKey,
    ];

    public static TokenSnapshot Get(string family) =>
        Built.GetOrAdd(family, f => new Lazy<TokenSnapshot>(() => Make(f))).Value;

    private static TokenSnapshot Make(string family) => family switch
    {
        FullRsa => Rsa(MechanismSets.FullRsa),
        Pkcs1Only => Rsa(MechanismSets.Pkcs1Only),
        RawPkcs1 => Rsa(MechanismSets.RawAndPkcs1),
        HashedPssOnly => Rsa(MechanismSets.HashedPssOnly),
        PssNoPkcs1 => Rsa(MechanismSets.PssWithoutPkcs1),
        HashedOnly => Rsa(MechanismSets.HashedOnly),
        AllowedPkcs1 => Rsa(MechanismSets.FullRsa, k => k with { AllowedMechanisms = [M.RsaPkcs] }),
        SignFalse => Rsa(MechanismSets.FullRsa, k => k with { Sign = false }),
        Rsa1024 => TokenBuilder.With(MechanismSets.FullRsa).Key(TestKeys.Rsa1024).Build(),
        AlwaysAuth => Rsa(MechanismSets.FullRsa, k => k with { AlwaysAuthenticate = true }),
        UnlistedPss => TokenBuilder.With(MechanismSets.Pkcs1Only).AnswersUnlisted(MechanismSets.Signing(M.RsaPkcsPss)).Key(TestKeys.Rsa2048).Build(),
        RsaPssCertificate => TokenBuilder.With(MechanismSets.FullRsa).Key(TestKeys.Rsa2048.AsRsaPssCertified()).Build(),
        P256 => Ec(TestKeys.P256),
        P384 => Ec(TestKeys.P384),
        P521 => Ec(TestKeys.P521),
        Secp256k1 => Ec(TestKeys.Secp256k1),
        Brainpool => Ec(TestKeys.BrainpoolP256),
        EcHashedOnly => TokenBuilder.With(MechanismSets.EcHashedOnly).Key(TestKeys.P256).Build(),
        Ed25519 => TokenBuilder.With(MechanismSets.EdDsa).Key(TestKeys.Ed25519).Build(),
        Expired => Rsa(MechanismSets.FullRsa, k => k with { Certificate = CertificateSpec.Expired }),
        NotYetValid => Rsa(MechanismSets.FullRsa, k => k with { Certificate = CertificateSpec.NotYetValid }),
        NoDigitalSignature => Rsa(MechanismSets.FullRsa, k => k with { Certificate = CertificateSpec.NoDigitalSignature }),
        ServerAuthOnly => Rsa(MechanismSets.FullRsa, k => k with { Certificate = CertificateSpec.ServerAuthOnly }),
        Mismatched => Rsa(MechanismSets.FullRsa, k => k with { CertifiedKey = TestKeys.Rsa2048Other }),
        NoCertificate => Rsa(MechanismSets.FullRsa, k => k with { Certificate = null }),
        EcNoPublicKey => TokenBuilder.With(MechanismSets.Ec).Key(TestKeys.P256, k => k with { PublicKeyObject = false }).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown card family"),
    };

    private static TokenSnapshot Rsa(IEnumerable<MechanismSnapshot> mechanisms, Func<KeySpec, KeySpec>? change = null) =>
        TokenBuilder.With(mechanisms).Key(TestKeys.Rsa2048, change).Build();

    private static TokenSnapshot Ec(TestKey key) => TokenBuilder.With(MechanismSets.Ec).Key(key).Build();
}
