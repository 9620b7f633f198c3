using System.Diagnostics;

namespace TokenService.Processes;

/// <summary>
/// The lean `tokenservice` program (check, profiles, probe host) as a child process, started from itself or from
/// `tokenservice-server` beside it: the native binary in this program's folder, or `dotnet tokenservice.dll` when
/// this program runs under `dotnet`.
/// </summary>
internal static class TokenServiceProgram
{
    public const string Name = "tokenservice";

    /// <summary>The program with <paramref name="arguments"/>, its standard streams redirected (<see cref="ChildProcess.StartInfo"/>).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        return Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? ChildProcess.StartInfo(self, [Path.Combine(AppContext.BaseDirectory, Name + ".dll"), .. arguments])
            : ChildProcess.StartInfo(Path.Combine(Path.GetDirectoryName(self)!, Name), arguments);
    }
}
