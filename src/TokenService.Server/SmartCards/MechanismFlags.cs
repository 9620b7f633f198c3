using System.Collections.Frozen;
using TokenService.Drivers.Snapshots;

namespace TokenService.SmartCards;

/// <summary>CK_MECHANISM_INFO flags (PKCS#11 v2.40 §3.3, CKF_*) by the kebab-case names the catalog uses.</summary>
internal static class MechanismFlags
{
    private static readonly FrozenDictionary<string, ulong> ByName = new Dictionary<string, ulong>(StringComparer.Ordinal)
    {
        ["hw"] = MechanismSnapshot.FlagHw,
        ["encrypt"] = MechanismSnapshot.FlagEncrypt,
        ["decrypt"] = MechanismSnapshot.FlagDecrypt,
        ["digest"] = MechanismSnapshot.FlagDigest,
        ["sign"] = MechanismSnapshot.FlagSign,
        ["sign-recover"] = MechanismSnapshot.FlagSignRecover,
        ["verify"] = MechanismSnapshot.FlagVerify,
        ["verify-recover"] = MechanismSnapshot.FlagVerifyRecover,
        ["generate"] = MechanismSnapshot.FlagGenerate,
        ["generate-key-pair"] = MechanismSnapshot.FlagGenerateKeyPair,
        ["wrap"] = MechanismSnapshot.FlagWrap,
        ["unwrap"] = MechanismSnapshot.FlagUnwrap,
        ["derive"] = MechanismSnapshot.FlagDerive,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryParse(string name, out ulong flag) => ByName.TryGetValue(name, out flag);

    public static ulong Of(IEnumerable<string> names) => names.Aggregate(0UL, (all, n) => all | ByName[n]);
}
