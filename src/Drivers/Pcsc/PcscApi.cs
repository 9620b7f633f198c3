namespace TokenService.Drivers.Pcsc;

/// <summary>Picks the PC/SC binding for the platform the process runs on.</summary>
internal static class PcscApi
{
    /// <exception cref="PlatformNotSupportedException">on a platform without a binding yet (Windows, macOS).</exception>
    public static IPcscApi ForCurrentPlatform()
    {
        if (OperatingSystem.IsLinux())
        {
            return PcscLite.Api.Instance;
        }

        // Windows (winscard.dll: 4-byte DWORD, 36-byte ATR, W/A entry points) and macOS (PCSC.framework:
        // 4-byte DWORD, packed struct) each need their own IPcscApi; see docs/pcsc.md.
        throw new PlatformNotSupportedException("TokenService has a PC/SC binding for pcsc-lite on Linux only.");
    }
}
