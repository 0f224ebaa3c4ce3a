namespace CacheFs.Eviction;

/// <summary>What `cachefs cache evict` (or the automatic evictor) asks for.</summary>
public sealed record EvictionRequest
{
    /// <summary>Stop once the cache holds at most this many bytes; null frees every file that matches.</summary>
    public long? TargetBytes { get; init; }

    /// <summary>Only files at or under this path (relative to the root, '/'-separated); null for all.</summary>
    public string? Path { get; init; }

    /// <summary>Only files last used longer ago than this.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Report what would be freed and skipped, change nothing.</summary>
    public bool DryRun { get; init; }
}
