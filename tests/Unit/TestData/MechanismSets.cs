using System.Collections.Immutable;
using TokenService.Drivers.Snapshots;
using M = TokenService.Drivers.Snapshots.Mechanisms;

namespace TokenService.Tests.Unit.TestData;

/// <summary>Mechanism lists of the card families the engine tells apart (docs/tls-client-auth.md §2, §3, §7).</summary>
internal static class MechanismSets
{
    private const ulong SignVerify = MechanismSnapshot.FlagSign | MechanismSnapshot.FlagVerify | MechanismSnapshot.FlagHw;

    /// <summary>A signing mechanism with the key-size range real cards report (bits).</summary>
    public static MechanismSnapshot Signing(ulong type, ulong min = 1024, ulong max = 4096) => new(type, min, max, SignVerify);

    /// <summary>A mechanism listed for verification only: CKF_SIGN is absent.</summary>
    public static MechanismSnapshot VerifyOnly(ulong type) => new(type, 1024, 4096, MechanismSnapshot.FlagVerify);

    private static ImmutableArray<MechanismSnapshot> Rsa(params ulong[] types) =>
        [new(M.RsaPkcsKeyPairGen, 1024, 4096, MechanismSnapshot.FlagGenerateKeyPair), .. types.Select(t => Signing(t))];

    /// <summary>Everything: bare PKCS#1, bare PSS, raw RSA and the hashing variants (a current PIV/OpenSC card).</summary>
    public static readonly ImmutableArray<MechanismSnapshot> FullRsa = Rsa(
        M.RsaPkcs, M.RsaPkcsPss, M.RsaX509,
        M.Sha256RsaPkcs, M.Sha384RsaPkcs, M.Sha512RsaPkcs,
        M.Sha256RsaPkcsPss, M.Sha384RsaPkcsPss, M.Sha512RsaPkcsPss);

    /// <summary>PKCS#1 v1.5 only, bare and hashed (older eID applets).</summary>
    public static readonly ImmutableArray<MechanismSnapshot> Pkcs1Only = Rsa(M.RsaPkcs, M.Sha1RsaPkcs, M.Sha256RsaPkcs);

    /// <summary>Raw RSA and PKCS#1: PSS only by software padding.</summary>
    public static readonly ImmutableArray<MechanismSnapshot> RawAndPkcs1 = Rsa(M.RsaPkcs, M.RsaX509);

    /// <summary>PKCS#1 and PSS only in hashing form (Belgian eID applet 1.7, docs/tls-client-auth.md §3).</summary>
    public static readonly ImmutableArray<MechanismSnapshot> HashedPssOnly = Rsa(
        M.RsaPkcs, M.Sha256RsaPkcs, M.Sha256RsaPkcsPss, M.Sha384RsaPkcsPss, M.Sha512RsaPkcsPss);

    /// <summary>Bare PSS but no bare PKCS#1.</summary>
    public static readonly ImmutableArray<MechanismSnapshot> PssWithoutPkcs1 = Rsa(M.RsaPkcsPss, M.Sha256RsaPkcsPss);

    /// <summary>Nothing bare at all: every signature is hashed on the token.</summary>
    public static readonly ImmutableArray<MechanismSnapshot> HashedOnly = Rsa(M.Sha256RsaPkcs, M.Sha256RsaPkcsPss);

    /// <summary>ECDSA on the raw digest (SoftHSM 2.6.1 offers no CKM_ECDSA_SHA*).</summary>
    public static readonly ImmutableArray<MechanismSnapshot> Ec =
        [new(M.EcKeyPairGen, 256, 521, MechanismSnapshot.FlagGenerateKeyPair), Signing(M.Ecdsa, 256, 521)];

    /// <summary>ECDSA only with on-token hashing.</summary>
    public static readonly ImmutableArray<MechanismSnapshot> EcHashedOnly = [Signing(M.EcdsaSha256, 256, 521), Signing(M.EcdsaSha384, 256, 521)];

    public static readonly ImmutableArray<MechanismSnapshot> EdDsa =
        [new(M.EcEdwardsKeyPairGen, 255, 255, MechanismSnapshot.FlagGenerateKeyPair), Signing(M.Eddsa, 255, 255)];
}
