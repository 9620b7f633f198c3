using System.Diagnostics;
using TokenService.Cli;
using TokenService.Input;

namespace TokenService.Tests.Unit.Cli;

/// <summary>Issue 9 §2 and §3: every file the CLI reads whole, given empty, unreadable, endless and oversize files.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tokenservice-input-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("--cert-file")]
    [InlineData("--server-ca")]
    public void LoadCertificates_EmptyPath_IsAUsageError(string option)
    {
        var e = Assert.Throws<CliException>(() => HandshakeCommand.LoadCertificates("", option));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{option}: no file given (the path is empty)", e.Message);
    }

    [Theory]
    [InlineData("--cert-file")]
    [InlineData("--server-ca")]
    public void LoadCertificates_Unreadable_IsAUsageErrorOnOneLine(string option)
    {
        var e = Assert.Throws<CliException>(() => HandshakeCommand.LoadCertificates(_directory.FullName, option));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.StartsWith($"{option}: cannot read {_directory.FullName}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cert-file")]
    [InlineData("--server-ca")]
    public void LoadCertificates_EmptyFile_SaysNoCertificate(string option)
    {
        var path = Write([]);

        var e = Assert.Throws<CliException>(() => HandshakeCommand.LoadCertificates(path, option));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("no certificate in the file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cert-file")]
    [InlineData("--server-ca")]
    public void LoadCertificates_EndlessFile_RefusedAfterTheBound(string option)
    {
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<CliException>(() => HandshakeCommand.LoadCertificates("/dev/zero", option));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{option}: /dev/zero is larger than 4 MiB: refused", e.Message);
    }

    [Fact]
    public void LoadCertificates_OversizeRegularFile_Refused()
    {
        var path = Write(new byte[BoundedInput.MaxCertificateFileBytes + 1]);

        var e = Assert.Throws<CliException>(() => HandshakeCommand.LoadCertificates(path, "--server-ca"));

        Assert.Contains("is larger than 4 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_EndlessManifest_OneLineErrorWithin5Seconds()
    {
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<CliException>(() => Profiles("/dev/zero"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(ExitCodes.Unavailable, e.ExitCode);
        Assert.Equal("manifest: /dev/zero is larger than 4 MiB: refused", e.Message);
    }

    [Fact]
    public async Task Profiles_EmptyPath_IsAUsageError()
    {
        var e = await Assert.ThrowsAsync<CliException>(() => Profiles(""));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public async Task Profiles_UnreadableManifest_IsUnavailable()
    {
        var e = await Assert.ThrowsAsync<CliException>(() => Profiles(_directory.FullName));

        Assert.Equal(ExitCodes.Unavailable, e.ExitCode);
        Assert.StartsWith($"manifest: cannot read {_directory.FullName}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_BinaryManifest_IsAUsageErrorWithoutItsContent()
    {
        var path = Write([0x80, 0x81, 0x1b, 0x5b, 0x33, 0x31, 0x6d]);

        var e = await Assert.ThrowsAsync<CliException>(() => Profiles(path));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{path}: not a manifest (not UTF-8 text)", e.Message);
    }

    [Fact]
    public async Task Profiles_EmptyManifest_IsAUsageError()
    {
        var path = Write([]);

        var e = await Assert.ThrowsAsync<CliException>(() => Profiles(path));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{path}: no profile in the manifest", e.Message);
    }

    private static Task<int> Profiles(string manifest) =>
        ProfilesCommand.RunAsync(new ProfilesCommand.Options(manifest, OutputFormat.Json, null, "/nonexistent", 1), TextWriter.Null, TextWriter.Null, CancellationToken.None);

    private string Write(byte[] content)
    {
        var path = Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, content);
        return path;
    }
}
