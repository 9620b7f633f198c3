using TokenService.Locating;
using TokenService.Tests.Unit.Infrastructure;
using Xunit;

namespace TokenService.Tests.Unit.Locating;

public sealed class BenchBindingsFileTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly string module;

    public BenchBindingsFileTests() => module = dir.Write("lib/libfake-pkcs11.so", "not really a library");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Load_FullBinding_ReadsEveryKeyAndResolvesRelativePathsFromTheFile()
    {
        dir.Write("bench/pin", "1234\n");
        var file = dir.Write("bench/bindings.json", """
            // comments and trailing commas are allowed
            [
              {
                "reader": "Virtual PCD 00 00",
                "atr": "3B 8F 80 01 / FF FF 00 FF",
                "module": "../lib/libfake-pkcs11.so",
                "environment": { "SOFTHSM2_CONF": "/etc/softhsm/rsa.conf" },
                "token": "rsa2048-full",
                "pinFile": "pin",
              },
            ]
            """);

        var binding = Assert.Single(BenchBindingsFile.Load(file));

        Assert.Equal("Virtual PCD 00 00", binding.Reader.Text);
        Assert.Equal("3B 8F 80 01 / FF FF 00 FF", binding.Atr!.Text);
        Assert.Equal(module, binding.Module);
        Assert.Equal("/etc/softhsm/rsa.conf", binding.Environment["SOFTHSM2_CONF"]);
        Assert.Equal("rsa2048-full", binding.Token);
        Assert.Equal(Path.Combine(dir.Path, "bench", "pin"), binding.PinFile);
    }

    [Fact]
    public void Load_MinimalBinding_HasNoAtrPinOrEnvironment()
    {
        var file = dir.Write("bindings.json", $$"""[ { "reader": "Virtual PCD *", "module": "{{module}}", "token": "t" } ]""");

        var binding = Assert.Single(BenchBindingsFile.Load(file));

        Assert.Null(binding.Atr);
        Assert.Null(binding.PinFile);
        Assert.Empty(binding.Environment);
    }

    [Theory]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "moduel": "x" }""", "binding 1 (reader \"R\"): unknown key \"moduel\" (known keys: reader, atr, module, environment, token, pinFile)")]
    [InlineData("""{ "reader": "R", "token": "t" }""", "binding 1 (reader \"R\"): missing \"module\"")]
    [InlineData("""{ "reader": "R", "module": "/nonexistent/libnothing.so", "token": "t" }""", "binding 1 (reader \"R\"): module: /nonexistent/libnothing.so does not exist")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "atr": "3B 8G" }""", "binding 1 (reader \"R\"): atr: bad hex '3B 8G': '8G' is not a hex byte")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "atr": "3B 8F / FF" }""", "atr: bad hex '3B 8F / FF': the mask has 1 bytes, the ATR 2")]
    [InlineData("""{ "reader": "R", "module": "MODULE" }""", "missing \"token\"")]
    [InlineData("""{ "module": "MODULE", "token": "t" }""", "binding 1: missing \"reader\"")]
    [InlineData("""{ "reader": "A * B", "module": "MODULE", "token": "t" }""", "reader: 'A * B': '*' may only end the name")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "pinFile": "no-such-pin" }""", "pinFile: ")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": 7 }""", "token: expected a string, found a number")]
    [InlineData("""{ "reader": "", "module": "MODULE", "token": "t" }""", "reader: is empty")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "environment": { "A=B": "x" } }""", "environment: \"A=B\" is not a variable name")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "environment": { "SOFTHSM2_CONF": 1 } }""", "environment: SOFTHSM2_CONF: expected a string, found a number")]
    [InlineData("""{ "reader": "R", "module": "MODULE", "token": "t", "token": "u" }""", "\"token\" is given twice")]
    [InlineData("""[ "reader" ]""", "binding 1: expected an object, found an array")]
    public void Load_WrongBinding_NamesTheBindingAndTheProblem(string binding, string message)
    {
        var file = dir.Write("bindings.json", "[" + binding.Replace("MODULE", module, StringComparison.Ordinal) + "]");

        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(file));

        Assert.Contains(e.Errors, error => error.Contains(message, StringComparison.Ordinal));
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralWrongBindings_ReportsEveryProblemAtOnce()
    {
        var file = dir.Write("bindings.json", $$"""
            [
              { "reader": "A", "module": "{{module}}", "token": "t", "atr": "zz" },
              { "reader": "B", "module": "{{module}}", "token": "t" },
              { "reader": "C", "token": "t", "colour": "red" }
            ]
            """);

        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(file));

        Assert.Equal(3, e.Errors.Count);
        Assert.StartsWith("binding 1 (reader \"A\"): atr:", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains(e.Errors, error => error.StartsWith("binding 3 (reader \"C\"): unknown key \"colour\"", StringComparison.Ordinal));
        Assert.Contains(e.Errors, error => error.StartsWith("binding 3 (reader \"C\"): missing \"module\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ \"reader\": \"R\" }", "expected a JSON array of bindings, found an object")]
    [InlineData("[ { \"reader\": ", "not valid JSON")]
    public void Load_NotAnArrayOfBindings_SaysSo(string json, string message)
    {
        var file = dir.Write("bindings.json", json);

        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(file));

        Assert.Contains(message, Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(Path.Combine(dir.Path, "absent.json")));

        Assert.Contains("cannot read the file", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EndlessFile_OneLineRefusalAfterReadingAtMostTheBound()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load("/dev/zero"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("bench bindings /dev/zero: larger than 4 MiB: refused", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_OneByteOverTheBound_Refused()
    {
        var file = Path.Combine(dir.Path, "big.json");
        File.WriteAllText(file, "[" + new string(' ', BenchBindingsFile.MaxFileBytes - 2) + "]" + " ");

        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(file));

        Assert.Equal("larger than 4 MiB: refused", Assert.Single(e.Errors));
    }

    [Fact]
    public void Load_AtTheBoundWithByteOrderMark_Read()
    {
        var file = Path.Combine(dir.Path, "bom.json");
        File.WriteAllBytes(file, [0xEF, 0xBB, 0xBF, .. "["u8, .. Enumerable.Repeat((byte)' ', BenchBindingsFile.MaxFileBytes - 5), .. "]"u8]);

        Assert.Empty(BenchBindingsFile.Load(file));
    }

    [Fact]
    public void Load_Directory_SaysItCannotBeRead()
    {
        var e = Assert.Throws<BenchBindingsException>(() => BenchBindingsFile.Load(dir.Path));

        Assert.StartsWith("cannot read the file", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyArray_HasNoBindings() =>
        Assert.Empty(BenchBindingsFile.Load(dir.Write("bindings.json", "[]")));
}
