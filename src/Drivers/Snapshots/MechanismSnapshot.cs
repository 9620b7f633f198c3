namespace TokenService.Drivers.Snapshots;

/// <summary>One CK_MECHANISM_TYPE with its CK_MECHANISM_INFO (PKCS#11 v2.40 §3.3).</summary>
/// <param name="Type">The CKM_ value.</param>
/// <param name="MinKeySize">ulMinKeySize as reported (bits for RSA and EC, but vendors vary).</param>
/// <param name="MaxKeySize">ulMaxKeySize as reported.</param>
/// <param name="Flags">CKF_ flags (CKF_SIGN = 0x800 and so on).</param>
public sealed record MechanismSnapshot(ulong Type, ulong MinKeySize, ulong MaxKeySize, ulong Flags)
{
    public const ulong FlagHw = 0x1;
    public const ulong FlagEncrypt = 0x100;
    public const ulong FlagDecrypt = 0x200;
    public const ulong FlagDigest = 0x400;
    public const ulong FlagSign = 0x800;
    public const ulong FlagSignRecover = 0x1000;
    public const ulong FlagVerify = 0x2000;
    public const ulong FlagVerifyRecover = 0x4000;
    public const ulong FlagGenerate = 0x8000;
    public const ulong FlagGenerateKeyPair = 0x10000;
    public const ulong FlagWrap = 0x20000;
    public const ulong FlagUnwrap = 0x40000;
    public const ulong FlagDerive = 0x80000;

    public bool CanSign => (Flags & FlagSign) != 0;
}
