namespace CacheFs.Eviction;

/// <summary>One file eviction freed, or left alone and why (<see cref="Reason"/> null when freed).</summary>
public sealed record EvictedFile(string Path, long Bytes, SkipReason? Reason = null);

/// <summary>What an eviction run freed and what it skipped, with the cache's size before and after.</summary>
public sealed record EvictionReport
{
    public required long CachedBytesBefore { get; init; }
    public required long CachedBytesAfter { get; init; }
    public long? TargetBytes { get; init; }
    public bool DryRun { get; init; }
    public IReadOnlyList<EvictedFile> Freed { get; init; } = [];
    public IReadOnlyList<EvictedFile> Skipped { get; init; } = [];

    public long FreedBytes => Freed.Sum(f => f.Bytes);

    /// <summary>The cache is at or under the target (always true without one).</summary>
    public bool TargetReached => TargetBytes is not { } target || CachedBytesAfter <= target;
}
