using System.Text;
using TokenService.Drivers.Pkcs11;
using TokenService.Probing;

namespace TokenService.Cli;

/// <summary>
/// `probe-host` (hidden): the child process of <see cref="OutOfProcessProber"/>. Loads nothing until asked;
/// serves line-delimited JSON on standard input and output until standard input closes (exit code 0).
/// </summary>
internal static class ProbeHostCommand
{
    /// <summary>Standard input closed: the parent is done with this host.</summary>
    private const int InputClosed = 0;

    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // The protocol gets the real standard output to itself; whatever a module prints goes to standard error.
        await using var protocol = new FileStream(NativeStdio.DetachStandardOutput(), FileAccess.Write, bufferSize: 0);
        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var server = new ProbeHostServer(Pkcs11Inventory.Read, TimeProvider.System);

        // Input closed and the last answers still not written after the drain time: the parent is gone while a
        // module call hangs (the parent bounds every request by its own, shorter, timeout).
        await server.RunAsync(input, protocol, DrainTime, abandon: () => Environment.Exit(InputClosed), cancellationToken);
        return InputClosed;
    }
}
