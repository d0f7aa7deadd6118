namespace KoopidDashboard.Tests.Support;

/// <summary>A clock that says what the test wants it to say.</summary>
public sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
