using System.Diagnostics;
using System.Text;
using TokenService.Input;
using TokenService.Pins;

namespace TokenService.Tests.Unit.Pins;

/// <summary>Issue 9 §2 and §7: a PIN is read bounded, as bytes, and a PIN file others can read is warned about.</summary>
public sealed class PinSourceTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tokenservice-pin-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Read_EndlessStandardInput_RefusedAfterReadingAtMostAPinsWorth()
    {
        var endless = new EndlessStream();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(fromStdin: true, null, null, () => endless, TextWriter.Null));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20, "allocated a MiB or more");
        Assert.Equal(BoundedInput.MaxPinBytes + 1, endless.BytesRead);
        Assert.Equal(PinSourceFailure.Unreadable, e.Failure);
        Assert.Contains("longer than 256 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Read_PinFileDevZero_RefusedQuicklyWithOneLine()
    {
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, null, "/dev/zero", () => Stream.Null, TextWriter.Null));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(PinSourceFailure.Unreadable, e.Failure);
        Assert.Contains("--pin-file: the first line of /dev/zero is longer than 256 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PinFileEmptyPath_IsAUsageError()
    {
        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, null, "", () => Stream.Null, TextWriter.Null));

        Assert.Equal(PinSourceFailure.Usage, e.Failure);
        Assert.Equal("--pin-file: no file given (the path is empty)", e.Message);
    }

    [Fact]
    public void Read_PinFileUnreadable_IsAPinSourceError()
    {
        // A directory: root (which the tests may run as) can read any file whatever its mode, not a directory.
        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, null, _directory.FullName, () => Stream.Null, TextWriter.Null));

        Assert.Equal(PinSourceFailure.Unreadable, e.Failure);
        Assert.StartsWith($"--pin-file: cannot read {_directory.FullName}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PinFileMissing_IsAPinSourceError()
    {
        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, null, Path.Combine(_directory.FullName, "none"), () => Stream.Null, TextWriter.Null));

        Assert.Equal(PinSourceFailure.Unreadable, e.Failure);
    }

    [Fact]
    public void Read_EmptyPinFile_IsRefused()
    {
        var path = File(""u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, null, path, () => Stream.Null, TextWriter.Null));

        Assert.Equal("the PIN is empty", e.Message);
    }

    [Fact]
    public void Read_NonUtf8PinFile_ReturnsTheBytesAsWritten()
    {
        byte[] latin1Pin = [0x31, 0xE9, 0x32, 0xFF, 0x0D, 0x0A, 0x39];
        var path = File(latin1Pin, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var pin = PinSource.Read(false, null, path, () => Stream.Null, TextWriter.Null);

        Assert.Equal(new byte[] { 0x31, 0xE9, 0x32, 0xFF }, pin);
    }

    [Fact]
    public void Read_NonUtf8Stdin_ReturnsTheBytesAsWrittenAndStopsAtTheLine()
    {
        var stdin = new MemoryStream([0x80, 0x41, 0x0A, 0x42, 0x43]);

        var pin = PinSource.Read(true, null, null, () => stdin, TextWriter.Null);

        Assert.Equal(new byte[] { 0x80, 0x41 }, pin);
        Assert.Equal(3, stdin.Position);
    }

    [Fact]
    public void Read_PinOfExactlyMaxBytes_Accepted()
    {
        var stdin = new MemoryStream([.. Enumerable.Repeat((byte)'7', BoundedInput.MaxPinBytes), (byte)'\n']);

        var pin = PinSource.Read(true, null, null, () => stdin, TextWriter.Null);

        Assert.Equal(BoundedInput.MaxPinBytes, pin!.Length);
    }

    [Fact]
    public void Read_PinFileReadableByOthers_WarnsOnOneLine()
    {
        var path = File("123456\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warnings = new StringWriter();

        var pin = PinSource.Read(false, null, path, () => Stream.Null, warnings);

        Assert.Equal("123456"u8.ToArray(), pin);
        Assert.Equal($"tokenservice: warning: the PIN file {path} is readable by its group and others (mode 0644): chmod 600 it{Environment.NewLine}", warnings.ToString());
    }

    [Fact]
    public void Read_PinFileOwnerOnly_NoWarning()
    {
        var path = File("123456\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var warnings = new StringWriter();

        PinSource.Read(false, null, path, () => Stream.Null, warnings);

        Assert.Equal("", warnings.ToString());
    }

    [Fact]
    public void Read_PinEnvNotUtf8_RefusedRatherThanAltered()
    {
        var name = "TOKENSERVICE_TEST_PIN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "12\uFFFD34");
        try
        {
            var e = Assert.Throws<PinSourceException>(() => PinSource.Read(false, name, null, () => Stream.Null, TextWriter.Null));

            Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private string File(byte[] content, UnixFileMode mode)
    {
        var path = Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllBytes(path, content);
        Assert.False(OperatingSystem.IsWindows(), "PIN file modes are POSIX");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    /// <summary>Zeros for ever, like /dev/zero, counting what was taken.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
