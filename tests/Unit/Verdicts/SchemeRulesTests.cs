using System.Reflection;
using TokenService.Drivers.Snapshots;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;
using M = TokenService.Drivers.Snapshots.Mechanisms;

namespace TokenService.Tests.Unit.Verdicts;

public sealed class SchemeRulesTests
{
    private const string Pss = "CKM_RSA_PKCS_PSS";
    private const string Pkcs1 = "CKM_RSA_PKCS";
    private const string Raw = "CKM_RSA_X_509";
    private const string Ecdsa = "CKM_ECDSA";

    /// <summary>card family, version, scheme, usable, route mechanism, exact reason codes (comma-separated).</summary>
    public static TheoryData<string, Proto, string, bool, string?, string> Rules => new()
    {
        // RFC 8446 §4.4.3: RSA signatures in TLS 1.3 CertificateVerify MUST be RSASSA-PSS.
        { Cards.FullRsa, Proto.V13, "rsa_pkcs1_sha256", false, null, "pkcs1-forbidden-in-tls13" },
        { Cards.FullRsa, Proto.V13, "rsa_pkcs1_sha384", false, null, "pkcs1-forbidden-in-tls13" },
        { Cards.FullRsa, Proto.V13, "rsa_pkcs1_sha512", false, null, "pkcs1-forbidden-in-tls13" },
        { Cards.FullRsa, Proto.V12, "rsa_pkcs1_sha256", true, Pkcs1, "" },
        { Cards.FullRsa, Proto.V12, "rsa_pkcs1_sha512", true, Pkcs1, "" },
        // RFC 8446 §4.2.3 and RFC 9155: no SHA-1, in either version.
        { Cards.FullRsa, Proto.V13, "rsa_pkcs1_sha1", false, null, "pkcs1-forbidden-in-tls13,sha1-forbidden" },
        { Cards.FullRsa, Proto.V12, "rsa_pkcs1_sha1", false, null, "sha1-forbidden" },
        { Cards.P256, Proto.V13, "ecdsa_sha1", false, null, "sha1-forbidden" },
        { Cards.P256, Proto.V12, "ecdsa_sha1", false, null, "sha1-forbidden" },
        // PSS: bare CKM_RSA_PKCS_PSS first, else software padding over CKM_RSA_X_509 (docs/tls-client-auth.md §2).
        { Cards.FullRsa, Proto.V13, "rsa_pss_rsae_sha256", true, Pss, "" },
        { Cards.FullRsa, Proto.V13, "rsa_pss_rsae_sha384", true, Pss, "" },
        { Cards.FullRsa, Proto.V13, "rsa_pss_rsae_sha512", true, Pss, "" },
        { Cards.FullRsa, Proto.V12, "rsa_pss_rsae_sha256", true, Pss, "" },
        { Cards.RawPkcs1, Proto.V13, "rsa_pss_rsae_sha256", true, Raw, "software-padding" },
        { Cards.RawPkcs1, Proto.V12, "rsa_pss_rsae_sha512", true, Raw, "software-padding" },
        { Cards.RawPkcs1, Proto.V12, "rsa_pkcs1_sha256", true, Pkcs1, "" },
        { Cards.Pkcs1Only, Proto.V13, "rsa_pss_rsae_sha256", false, null, "mechanism-missing" },
        { Cards.Pkcs1Only, Proto.V12, "rsa_pkcs1_sha256", true, Pkcs1, "" },
        { Cards.PssNoPkcs1, Proto.V13, "rsa_pss_rsae_sha256", true, Pss, "" },
        { Cards.PssNoPkcs1, Proto.V12, "rsa_pkcs1_sha256", false, null, "mechanism-missing" },
        // Hash-on-token mechanisms are no route any client takes (docs/tls-client-auth.md §7).
        { Cards.HashedPssOnly, Proto.V13, "rsa_pss_rsae_sha256", false, null, "mechanism-missing,hash-on-token-only" },
        { Cards.HashedPssOnly, Proto.V13, "rsa_pss_rsae_sha512", false, null, "mechanism-missing,hash-on-token-only" },
        { Cards.HashedPssOnly, Proto.V12, "rsa_pkcs1_sha256", true, Pkcs1, "" },
        { Cards.HashedOnly, Proto.V12, "rsa_pkcs1_sha256", false, null, "mechanism-missing,hash-on-token-only" },
        { Cards.HashedOnly, Proto.V12, "rsa_pkcs1_sha384", false, null, "mechanism-missing" },
        { Cards.EcHashedOnly, Proto.V13, "ecdsa_secp256r1_sha256", false, null, "mechanism-missing,hash-on-token-only" },
        // EMSA-PSS needs emLen >= 2*hLen + 2: 128 bytes of RSA-1024 hold SHA-256 (66) and SHA-384 (98), not SHA-512 (130).
        { Cards.Rsa1024, Proto.V13, "rsa_pss_rsae_sha256", true, Pss, "" },
        { Cards.Rsa1024, Proto.V13, "rsa_pss_rsae_sha384", true, Pss, "" },
        { Cards.Rsa1024, Proto.V13, "rsa_pss_rsae_sha512", false, null, "key-too-small-for-hash" },
        { Cards.Rsa1024, Proto.V12, "rsa_pss_rsae_sha512", false, null, "key-too-small-for-hash" },
        { Cards.Rsa1024, Proto.V12, "rsa_pkcs1_sha512", true, Pkcs1, "" },
        // RFC 8446 §4.2.3: a TLS 1.3 ECDSA scheme names its curve; TLS 1.2 pairs any hash with the NIST curves.
        { Cards.P256, Proto.V13, "ecdsa_secp256r1_sha256", true, Ecdsa, "" },
        { Cards.P256, Proto.V13, "ecdsa_secp384r1_sha384", false, null, "curve-bound-to-other-hash" },
        { Cards.P384, Proto.V13, "ecdsa_secp384r1_sha384", true, Ecdsa, "" },
        { Cards.P384, Proto.V13, "ecdsa_secp256r1_sha256", false, null, "curve-bound-to-other-hash" },
        { Cards.P384, Proto.V13, "ecdsa_secp521r1_sha512", false, null, "curve-bound-to-other-hash" },
        { Cards.P384, Proto.V13, "ecdsa_brainpoolP384r1tls13_sha384", false, null, "curve-bound-to-other-hash" },
        { Cards.P384, Proto.V12, "ecdsa_secp256r1_sha256", true, Ecdsa, "" },
        { Cards.P384, Proto.V12, "ecdsa_secp384r1_sha384", true, Ecdsa, "" },
        { Cards.P384, Proto.V12, "ecdsa_secp521r1_sha512", true, Ecdsa, "" },
        { Cards.P521, Proto.V13, "ecdsa_secp521r1_sha512", true, Ecdsa, "" },
        { Cards.P521, Proto.V13, "ecdsa_secp256r1_sha256", false, null, "curve-bound-to-other-hash" },
        // RFC 8422 §5.1.1 and RFC 8446 §4.2.3: secp256k1 has no signature scheme in either version.
        { Cards.Secp256k1, Proto.V13, "ecdsa_secp256r1_sha256", false, null, "curve-not-allowed" },
        { Cards.Secp256k1, Proto.V13, "ecdsa_brainpoolP256r1tls13_sha256", false, null, "curve-not-allowed" },
        { Cards.Secp256k1, Proto.V12, "ecdsa_secp256r1_sha256", false, null, "curve-not-allowed" },
        { Cards.Secp256k1, Proto.V12, "ecdsa_secp384r1_sha384", false, null, "curve-not-allowed" },
        // RFC 8734: brainpool is TLS 1.3 only, and Chrome and Firefox do not implement it; stock OpenSSL 3.0 does not list it.
        { Cards.Brainpool, Proto.V13, "ecdsa_brainpoolP256r1tls13_sha256", true, Ecdsa, "browsers-lack-scheme,not-offered-by-server" },
        { Cards.Brainpool, Proto.V12, "ecdsa_secp256r1_sha256", false, null, "curve-not-allowed" },
        // PureEdDSA: the token hashes (RFC 8032 §5.1.6).
        { Cards.Ed25519, Proto.V13, "ed25519", true, "CKM_EDDSA", "" },
        { Cards.Ed25519, Proto.V12, "ed25519", true, "CKM_EDDSA", "" },
        // CKA_SIGN and CKA_ALLOWED_MECHANISMS (PKCS#11 v3.0 §4.9, §5.13 C_SignInit).
        { Cards.SignFalse, Proto.V13, "rsa_pss_rsae_sha256", false, null, "key-sign-false" },
        { Cards.SignFalse, Proto.V12, "rsa_pkcs1_sha256", false, null, "key-sign-false" },
        { Cards.AllowedPkcs1, Proto.V13, "rsa_pss_rsae_sha256", false, null, "excluded-by-allowed-mechanisms" },
        { Cards.AllowedPkcs1, Proto.V12, "rsa_pss_rsae_sha256", false, null, "excluded-by-allowed-mechanisms" },
        { Cards.AllowedPkcs1, Proto.V12, "rsa_pkcs1_sha256", true, Pkcs1, "" },
        // RFC 8446 §4.2.3: rsa_pss_pss_* needs an id-RSASSA-PSS certificate key, rsae and PKCS#1 an rsaEncryption one.
        { Cards.FullRsa, Proto.V13, "rsa_pss_pss_sha256", false, null, "certificate-key-type-mismatch" },
        { Cards.FullRsa, Proto.V12, "rsa_pss_pss_sha512", false, null, "certificate-key-type-mismatch" },
        { Cards.NoCertificate, Proto.V13, "rsa_pss_pss_sha256", false, null, "certificate-key-type-mismatch" },
        { Cards.NoCertificate, Proto.V13, "rsa_pss_rsae_sha256", true, Pss, "" },
        { Cards.RsaPssCertificate, Proto.V13, "rsa_pss_pss_sha256", true, Pss, "" },
        { Cards.RsaPssCertificate, Proto.V13, "rsa_pss_rsae_sha256", false, null, "certificate-key-type-mismatch" },
        { Cards.RsaPssCertificate, Proto.V12, "rsa_pkcs1_sha256", false, null, "certificate-key-type-mismatch" },
        // RFC 9963: the legacy code points exist only where the server lists them; stock OpenSSL 3.0 does not.
        { Cards.Pkcs1Only, Proto.V13, "rsa_pkcs1_sha256_legacy", false, null, "legacy-not-offered-by-server" },
        { Cards.FullRsa, Proto.V13, "rsa_pkcs1_sha512_legacy", false, null, "legacy-not-offered-by-server" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Evaluate_CardFamilyAndScheme_GivesUsableRouteAndExactReasons(string family, Proto version, string scheme, bool usable, string? route, string reasons)
    {
        var result = Engine.Scheme(Cards.Get(family), version, scheme);

        Assert.Equal(usable, result.Usable);
        Assert.Equal(route, result.Route?.MechanismName);
        Assert.Equal<string>(Split(reasons), result.Reasons);
    }

    [Theory]
    [InlineData(Servers.Legacy, "rsa_pkcs1_sha256_legacy", true, "")]
    [InlineData(Servers.Legacy, "rsa_pkcs1_sha384_legacy", false, "legacy-not-offered-by-server")]
    [InlineData(Servers.Stock, "rsa_pkcs1_sha256_legacy", false, "legacy-not-offered-by-server")]
    public void Evaluate_LegacyPkcs1InTls13_UsableOnlyWhenServerListsIt(string server, string scheme, bool usable, string reasons)
    {
        var result = Engine.Scheme(Cards.Get(Cards.Pkcs1Only), Proto.V13, scheme, Servers.Get(server));

        Assert.Equal(usable, result.Usable);
        Assert.Equal(usable ? Pkcs1 : null, result.Route?.MechanismName);
        Assert.Equal<string>(Split(reasons), result.Reasons);
    }

    [Fact]
    public void Evaluate_PssListedWithoutSignFlag_MechanismCannotSign()
    {
        var token = TokenBuilder.With([MechanismSets.Signing(M.RsaPkcs), MechanismSets.VerifyOnly(M.RsaPkcsPss)]).Key(TestKeys.Rsa2048).Build();

        var result = Engine.Scheme(token, Proto.V13, "rsa_pss_rsae_sha256");

        Assert.False(result.Usable);
        Assert.Equal<string>(["mechanism-cannot-sign", "mechanism-missing"], result.Reasons);
    }

    [Fact]
    public void Evaluate_RsaKeyWithoutModulusAnywhere_KeyTypeUnknown()
    {
        var token = TokenBuilder.With(MechanismSets.FullRsa)
            .Key(TestKeys.Rsa2048, k => k with { ModulusOnPrivateKey = false, PublicKeyObject = false })
            .Build();

        var result = Engine.Scheme(token, Proto.V13, "rsa_pss_rsae_sha256");

        Assert.False(result.Usable);
        Assert.Equal<string>(["key-type-unknown"], result.Reasons);
    }

    [Fact]
    public void Evaluate_KeyBelowMechanismMinimum_UsableWithSizeCaveat()
    {
        // Vendors report ulMinKeySize in other units: a hint, never a verdict (docs/tls-client-auth.md §2).
        var token = TokenBuilder.With([MechanismSets.Signing(M.RsaPkcsPss, min: 3072, max: 4096)]).Key(TestKeys.Rsa2048).Build();

        var result = Engine.Scheme(token, Proto.V13, "rsa_pss_rsae_sha256");

        Assert.True(result.Usable);
        Assert.Equal<string>(["key-size-outside-mechanism-range"], result.Reasons);
    }

    [Fact]
    public void Evaluate_SchemeTheServerDoesNotList_UsableWithNotOfferedCaveat()
    {
        var result = Engine.Scheme(Cards.Get(Cards.FullRsa), Proto.V13, "rsa_pss_rsae_sha256", Servers.Get(Servers.NoPss));

        Assert.True(result.Usable);
        Assert.Equal<string>(["not-offered-by-server"], result.Reasons);
    }

    [Fact]
    public void Evaluate_Ed25519WithoutEddsaMechanism_MechanismMissing()
    {
        var token = TokenBuilder.With(MechanismSets.Ec).Key(TestKeys.Ed25519, k => k with { Certificate = null }).Build();

        var result = Engine.Scheme(token, Proto.V13, "ed25519");

        Assert.False(result.Usable);
        Assert.Equal<string>(["mechanism-missing"], result.Reasons);
    }

    public static TheoryData<string, Proto, string> ApplicableSchemes => new()
    {
        { Cards.FullRsa, Proto.V13, "rsa_pss_rsae_sha256 rsa_pss_rsae_sha384 rsa_pss_rsae_sha512 rsa_pss_pss_sha256 rsa_pss_pss_sha384 rsa_pss_pss_sha512 rsa_pkcs1_sha256 rsa_pkcs1_sha384 rsa_pkcs1_sha512 rsa_pkcs1_sha1 rsa_pkcs1_sha256_legacy rsa_pkcs1_sha384_legacy rsa_pkcs1_sha512_legacy" },
        { Cards.FullRsa, Proto.V12, "rsa_pss_rsae_sha256 rsa_pss_rsae_sha384 rsa_pss_rsae_sha512 rsa_pss_pss_sha256 rsa_pss_pss_sha384 rsa_pss_pss_sha512 rsa_pkcs1_sha256 rsa_pkcs1_sha384 rsa_pkcs1_sha512 rsa_pkcs1_sha1" },
        { Cards.P256, Proto.V13, "ecdsa_secp256r1_sha256 ecdsa_secp384r1_sha384 ecdsa_secp521r1_sha512 ecdsa_sha1 ecdsa_brainpoolP256r1tls13_sha256 ecdsa_brainpoolP384r1tls13_sha384 ecdsa_brainpoolP512r1tls13_sha512" },
        { Cards.P256, Proto.V12, "ecdsa_secp256r1_sha256 ecdsa_secp384r1_sha384 ecdsa_secp521r1_sha512 ecdsa_sha1" },
        { Cards.Ed25519, Proto.V13, "ed25519" },
        { Cards.Ed25519, Proto.V12, "ed25519" },
    };

    [Theory]
    [MemberData(nameof(ApplicableSchemes))]
    public void EvaluateAll_KeyType_ListsExactlyTheSchemesOfItsFamilyDefinedForTheVersion(string family, Proto version, string schemes)
    {
        var token = Cards.Get(family);

        var all = SchemeRules.EvaluateAll(Engine.Key(token), new TokenMechanisms(token), ServerModel.StockOpenSsl3, version.ToEngine());

        Assert.Equal(schemes.Split(' '), all.Select(s => s.Scheme.Name));
    }

    public static TheoryData<string> Families => [.. Cards.All];

    /// <summary>Properties every evaluation keeps, over every scheme of every card family.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void EvaluateAll_AnyFamily_UsableSchemesKeepTheProtocolAndTokenRules(string family)
    {
        var token = Cards.Get(family);
        var key = Engine.Key(token);
        var mechanisms = new TokenMechanisms(token);
        ulong[] bare = [M.RsaPkcs, M.RsaPkcsPss, M.RsaX509, M.Ecdsa, M.Eddsa];
        foreach (var version in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
        {
            foreach (var e in SchemeRules.EvaluateAll(key, mechanisms, ServerModel.StockOpenSsl3, version))
            {
                Assert.Equal(e.Usable, e.Route is not null);
                if (!e.Usable)
                {
                    // An unusable scheme says why, and only with reasons that block.
                    Assert.NotEmpty(e.Reasons);
                    Assert.All(e.Reasons, r => Assert.True(IsBlocking(r), $"{family}: {e.Scheme.Name} unusable with caveat {r}"));
                    continue;
                }

                Assert.DoesNotContain(e.Reasons, IsBlocking);

                Assert.NotEqual(HashAlgorithmKind.Sha1, e.Scheme.Hash);
                Assert.False(version == TlsVersion.Tls13 && e.Scheme.Family == SchemeFamily.RsaPkcs1, $"{family}: {e.Scheme.Name} usable in TLS 1.3");
                Assert.Contains(e.Route!.Mechanism, bare);
                Assert.True(mechanisms.CanSign(e.Route.Mechanism));
                Assert.True(key.Key.Sign);
                Assert.True(key.Allows(e.Route.Mechanism));
            }
        }
    }

    private static bool IsBlocking(string reason) => reason is not ("software-padding" or "key-size-outside-mechanism-range" or "not-offered-by-server" or "browsers-lack-scheme");

    [Fact]
    public void ReasonCodes_EveryConstant_ProducedByARuleAbove()
    {
        var produced = Rules.Select(r => (string)r[5]).Concat(["key-type-unknown", "mechanism-cannot-sign", "key-size-outside-mechanism-range", "not-offered-by-server"])
            .SelectMany(Split)
            .ToHashSet();

        // self-test-failed needs an observed signing failure as input: SigningRoutesTests and SelfTestRunTests cover it.
        Assert.Empty(Constants(typeof(ReasonCodes)).Except(produced).Except([ReasonCodes.SelfTestFailed]));
    }

    internal static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static string[] Split(string reasons) => reasons.Length == 0 ? [] : reasons.Split(',');
}
