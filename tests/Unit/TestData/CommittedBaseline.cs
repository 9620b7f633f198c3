namespace TokenService.Tests.Unit.TestData;

/// <summary>
/// A JSON contract pinned by a file in tests/Unit/Baselines: the test's JSON must equal it, so that any change of
/// the contract is a visible change of that file. UPDATE_BASELINES=1 rewrites the file (and fails, for review).
/// </summary>
internal static class CommittedBaseline
{
    public static void AssertEqual(string baselineName, string json)
    {
        var committed = Path.Combine(AppContext.BaseDirectory, "Baselines", baselineName);
        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1" || !File.Exists(committed))
        {
            var source = Path.Combine(UnitProjectDirectory(), "Baselines", baselineName);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, json);
            Assert.Fail($"The baseline {source} was (re)written from the current contract: review the diff, commit it, and run the tests again.");
        }

        Assert.Equal(File.ReadAllText(committed).ReplaceLineEndings("\n"), json);
    }

    public static string Read(string baselineName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", baselineName));

    private static string UnitProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Unit.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Unit.csproj not found above {AppContext.BaseDirectory}");
    }
}
