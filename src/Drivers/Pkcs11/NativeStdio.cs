using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Keeps a process's standard output for one writer. A PKCS#11 module is native code that may printf to file
/// descriptor 1 (debug builds, vendor diagnostics); in a process whose standard output carries a protocol,
/// that would corrupt it. <see cref="DetachStandardOutput"/> moves the real standard output to a private
/// descriptor and points descriptor 1 at standard error, where stray output is only noise.
/// </summary>
internal static partial class NativeStdio
{
    private const string LibC = "libc";
    private const int StandardOutput = 1;
    private const int StandardError = 2;

    /// <summary>fcntl(2) F_DUPFD_CLOEXEC (Linux, glibc fcntl.h): a module's child processes must not inherit the pipe.</summary>
    private const int DupFdCloseOnExec = 1030;

    /// <summary>
    /// Returns a handle on the original standard output (close-on-exec) and makes descriptor 1 a copy of
    /// descriptor 2. Call once, before anything else writes to standard output.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    /// <exception cref="InvalidOperationException">fcntl or dup2 failed (errno in the message).</exception>
    public static SafeFileHandle DetachStandardOutput()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Detaching standard output is implemented for Linux only.");
        }

        var original = DupFd(StandardOutput, DupFdCloseOnExec, StandardError + 1);
        if (original < 0)
        {
            throw new InvalidOperationException($"fcntl(1, F_DUPFD_CLOEXEC) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var handle = new SafeFileHandle(original, ownsHandle: true);
        if (Dup2(StandardError, StandardOutput) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new InvalidOperationException($"dup2(2, 1) failed with errno {errno}.");
        }

        return handle;
    }

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int DupFd(int fd, int command, int lowest);

    [LibraryImport(LibC, EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);
}
