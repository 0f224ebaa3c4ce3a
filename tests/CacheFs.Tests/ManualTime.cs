namespace CacheFs.Tests;

/// <summary>A clock the test moves by hand, so time-dependent assertions never depend on the machine.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
