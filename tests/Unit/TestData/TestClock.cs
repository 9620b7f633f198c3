using Microsoft.Extensions.Time.Testing;

namespace TokenService.Tests.Unit.TestData;

/// <summary>The one instant every test evaluates at; certificates are issued around it.</summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidFrom = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidUntil = new(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh provider per use: tests never share a clock they could advance.</summary>
    public static FakeTimeProvider Provider() => new(Now);
}
