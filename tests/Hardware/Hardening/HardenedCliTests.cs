using System.Diagnostics;
using TokenService.Tests.Hardware.Infrastructure;
using Xunit;

namespace TokenService.Tests.Hardware.Hardening;

/// <summary>
/// Issue 9 §2, §3 and §7 through the real program: every failure is one line on stderr with a documented exit
/// code, never a stack trace, never an echoed secret, never unbounded.
/// </summary>
public sealed class HardenedCliTests(HostileTokenFixture token) : IClassFixture<HostileTokenFixture>
{
    public static TheoryData<string[], int, string> EmptyPaths() => new()
    {
        { ["check", "--pin-file", ""], 64, "tokenservice: --pin-file: no file given (the path is empty)" },
        { ["handshake", "--server", "127.0.0.1:9", "--pin-file", "PIN", "--cert-file", ""], 64, "tokenservice: --cert-file: no file given (the path is empty)" },
        { ["handshake", "--server", "127.0.0.1:9", "--pin-file", "PIN", "--server-ca", ""], 64, "tokenservice: --server-ca: no file given (the path is empty)" },
        { ["profiles", "/dev/zero"], 69, "tokenservice: manifest: /dev/zero is larger than 4 MiB: refused" },
        { ["check", "--pin-file", "/dev/zero"], 69, "tokenservice: --pin-file: the first line of /dev/zero is longer than 256 bytes: not a PIN, refused" },
        { ["handshake", "--server", "127.0.0.1:9", "--pin-file", "PIN", "--server-ca", "/dev/zero"], 64, "tokenservice: --server-ca: /dev/zero is larger than 4 MiB: refused" },
        { ["bench-probe", "--bindings", "/dev/zero"], 64, "tokenservice: bench bindings /dev/zero: larger than 4 MiB: refused" },
        { ["watch", "--bindings", "/dev/zero"], 78, "tokenservice: invalid configuration: BindingsFile: bench bindings /dev/zero: larger than 4 MiB: refused" },
        { ["serve", "--listen", "127.0.0.1:9", "--bindings", "/dev/zero"], 78, "tokenservice: invalid configuration: BindingsFile: bench bindings /dev/zero: larger than 4 MiB: refused" },
    };

    [Theory]
    [MemberData(nameof(EmptyPaths))]
    public async Task Command_EmptyOrEndlessInput_OneLineAndDocumentedCode(string[] args, int code, string line)
    {
        var clock = Stopwatch.StartNew();

        var result = await Run(args);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(code, result.ExitCode);
        Assert.Equal(line, result.Stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("check")]
    [InlineData("handshake")]
    public async Task Command_UnreadablePinFile_OneLineExit69(string command)
    {
        string[] args = command == "check" ? ["check"] : ["handshake", "--server", "127.0.0.1:9"];

        var result = await Run([.. args, "--pin-file", token.WorkingDirectory]);

        Assert.Equal(69, result.ExitCode);
        Assert.StartsWith($"tokenservice: --pin-file: cannot read {token.WorkingDirectory}", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Check_PinStdinFromDevZero_RefusedWithinSeconds()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "tokenservice.dll");
        var clock = Stopwatch.StartNew();

        var result = await ChildProcess.RunAsync("bash", ["-c", $"exec dotnet '{dll}' check --module {Repo.SoftHsmModule} --pin-stdin < /dev/zero"], token.Environment, TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(69, result.ExitCode);
        Assert.Equal("tokenservice: --pin-stdin: the first line of standard input is longer than 256 bytes: not a PIN, refused", result.Stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--pin", "SECRET123")]
    [InlineData("--pin=SECRET123")]
    public async Task Check_PinAsAnOption_RefusedWithoutEchoingIt(params string[] tail)
    {
        var result = await Run(["check", .. tail]);

        Assert.Equal(64, result.ExitCode);
        Assert.DoesNotContain("SECRET123", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown option '--pin'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PinFileReadableByOthers_WarnsAndStillChecks()
    {
        var open = Path.Combine(token.WorkingDirectory, "pin-0644");
        File.Copy(token.PinFile, open, overwrite: true);
        Assert.False(OperatingSystem.IsWindows(), "PIN file modes are POSIX");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }


        var result = await Run(["check", "--module", Repo.SoftHsmModule, "--pin-file", open, "--format", "json"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"tokenservice: warning: the PIN file {open} is readable by its group and others (mode 0644): chmod 600 it", result.Stderr.TrimEnd('\n'));
        Assert.Contains("\"login\":\"logged-in\"", result.Stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private Task<ChildProcess.Result> Run(string[] args) =>
        ChildProcess.TokenServiceAsync(args.Select(a => a == "PIN" ? token.PinFile : a), token.Environment);
}
