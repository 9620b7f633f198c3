using TokenService.Api;
using TokenService.Tests.Unit.TestData;

namespace TokenService.Tests.Unit.Api;

public sealed class PageSessionsTests
{
    [Fact]
    public void IsLive_StartedToken_UntilItsLifetimeEnds()
    {
        var clock = TestClock.Provider();
        var sessions = new PageSessions(clock);
        var token = sessions.Start();

        clock.Advance(PageSessions.Lifetime - TimeSpan.FromSeconds(1));
        var before = sessions.IsLive(token);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(before);
        Assert.False(sessions.IsLive(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-session")]
    public void IsLive_AnythingButAStartedToken_IsFalse(string? token)
    {
        var sessions = new PageSessions(TestClock.Provider());
        sessions.Start();

        Assert.False(sessions.IsLive(token));
    }

    [Fact]
    public void Start_TwoSessions_HaveDifferentRandomTokens_OfAtLeast256Bits()
    {
        var sessions = new PageSessions(TestClock.Provider());

        var (one, two) = (sessions.Start(), sessions.Start());

        Assert.NotEqual(one, two);
        Assert.True(one.Length >= 43, one); // 32 bytes in base64url
        Assert.True(sessions.IsLive(one) && sessions.IsLive(two));
    }

    [Fact]
    public void End_EndsThatSessionOnly()
    {
        var sessions = new PageSessions(TestClock.Provider());
        var (one, two) = (sessions.Start(), sessions.Start());

        sessions.End(one);

        Assert.False(sessions.IsLive(one));
        Assert.True(sessions.IsLive(two));
    }

    [Fact]
    public void Start_BeyondTheBound_EndsTheOldestSession()
    {
        var sessions = new PageSessions(TestClock.Provider());
        var tokens = Enumerable.Range(0, PageSessions.MaxSessions + 1).Select(_ => sessions.Start()).ToList();

        Assert.False(sessions.IsLive(tokens[0]));
        Assert.All(tokens.Skip(1), t => Assert.True(sessions.IsLive(t)));
    }
}
