using System.Diagnostics;
using TokenService.Api;

namespace TokenService.Tests.Unit.Api;

public sealed class ApiKeyTests
{
    private const string Key = "test-api-key-0123456789";

    [Theory]
    [InlineData(Key, true)]
    [InlineData("test-api-key-0123456788", false)]
    [InlineData("test-api-key-012345678", false)]
    [InlineData("test-api-key-01234567890", false)]
    [InlineData("", false)]
    [InlineData("tëst-api-key-0123456789", false)]
    public void Matches_OnlyTheKey(string given, bool expected) =>
        Assert.Equal(expected, new ApiKey(Key).Matches(given));

    /// <summary>
    /// A refusal must not say how long the key is: comparing raw bytes (FixedTimeEquals returns at once when the
    /// lengths differ) made a wrong key of the right length measurably slower to refuse than a shorter or longer
    /// one (a quarter of the time, measured). Both are hashed now, so every wrong key within one SHA-256 block
    /// costs the same. Batches of each are timed side by side, after a warm-up, and the median of their ratios is
    /// compared, so that noise from other processes has to hit most rounds to matter.
    /// </summary>
    [Fact]
    public void Matches_WrongKeysOfOtherLengths_TakeAsLongAsAWrongKeyOfTheKeysLength()
    {
        var key = new ApiKey(Key);
        string[] candidates = ["test-api-key-0123456788", "test-api-key-012345678", "test-api-key-01234567890"];
        for (var n = 0; n < 50_000; n++)
        {
            key.Matches(candidates[n % candidates.Length]); // tiered compilation settles first
        }

        const int Rounds = 301;
        var ratios = new double[candidates.Length - 1][];
        for (var i = 0; i < ratios.Length; i++)
        {
            ratios[i] = new double[Rounds];
        }

        var time = new double[candidates.Length];
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                for (var n = 0; n < 500; n++)
                {
                    key.Matches(candidates[i]);
                }

                time[i] = Stopwatch.GetElapsedTime(started).TotalNanoseconds;
            }

            for (var i = 1; i < candidates.Length; i++)
            {
                ratios[i - 1][round] = time[i] / time[0];
            }
        }

        foreach (var ratio in ratios)
        {
            Array.Sort(ratio);
            Assert.InRange(ratio[Rounds / 2], 0.8, 1.25);
        }
    }
}
