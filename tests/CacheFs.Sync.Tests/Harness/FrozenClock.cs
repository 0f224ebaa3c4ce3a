namespace CacheFs.Sync.Tests.Harness;

/// <summary>
/// A wall clock stopped at one instant (what a conflict copy's name is stamped with); timers and delays still run in
/// real time, so the engine's loops keep going.
/// </summary>
internal sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
