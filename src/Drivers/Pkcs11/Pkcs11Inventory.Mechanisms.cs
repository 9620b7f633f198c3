using System.Collections.Immutable;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

internal static partial class Pkcs11Inventory
{
    /// <summary>
    /// The signature mechanisms real TLS clients sign with (docs/tls-client-auth.md §2, §7), asked about with
    /// C_GetMechanismInfo even when C_GetMechanismList leaves them out: GnuTLS decides PSS support from
    /// C_GetMechanismInfo alone, so a module that answers for unlisted mechanisms misleads it.
    /// </summary>
    private static readonly ImmutableArray<ulong> ProbedSignatureMechanisms =
    [
        Mechanisms.RsaPkcs,
        Mechanisms.RsaPkcsPss,
        Mechanisms.RsaX509,
        Mechanisms.Ecdsa,
        Mechanisms.Eddsa,
        Mechanisms.Sha256RsaPkcs,
        Mechanisms.Sha256RsaPkcsPss,
    ];

    private readonly record struct TokenMechanisms(
        ImmutableArray<MechanismSnapshot> Listed, ImmutableArray<MechanismSnapshot> UnlistedAnswered);

    private static TokenMechanisms ReadMechanisms(ISlot slot)
    {
        var list = slot.GetMechanismList();
        var listed = ImmutableArray.CreateBuilder<MechanismSnapshot>(list.Count);
        var seen = new HashSet<ulong>(list.Count);
        foreach (var type in list)
        {
            seen.Add((ulong)type);

            // A listed mechanism whose info the module refuses stays listed, with no flags: the list alone is
            // what Chrome and NSS consult (docs/tls-client-auth.md §3).
            listed.Add(TryGetMechanismInfo(slot, (ulong)type) ?? new MechanismSnapshot((ulong)type, 0, 0, 0));
        }

        var unlisted = ImmutableArray.CreateBuilder<MechanismSnapshot>();
        foreach (var type in ProbedSignatureMechanisms)
        {
            if (!seen.Contains(type) && TryGetMechanismInfo(slot, type) is { } answered)
            {
                unlisted.Add(answered);
            }
        }

        return new TokenMechanisms(listed.MoveToImmutable(), unlisted.ToImmutable());
    }

    /// <summary>
    /// C_GetMechanismInfo (v2.40 §5.5), or null when the module refuses, normally with CKR_MECHANISM_INVALID.
    /// </summary>
    private static MechanismSnapshot? TryGetMechanismInfo(ISlot slot, ulong type)
    {
        try
        {
            var info = slot.GetMechanismInfo((CKM)type);
            return new MechanismSnapshot(type, info.MinKeySize, info.MaxKeySize, info.MechanismFlags.Flags);
        }
        catch (Pkcs11Exception e) when (!Pkcs11Errors.IsFatal(e.RV))
        {
            return null;
        }
    }
}
