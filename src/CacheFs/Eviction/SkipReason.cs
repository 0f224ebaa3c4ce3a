namespace CacheFs.Eviction;

/// <summary>Why eviction left a file's content in the cache.</summary>
public enum SkipReason
{
    /// <summary>Changes the origin has not acknowledged: the cache holds the only copy.</summary>
    Dirty,

    /// <summary>Pinned by `cachefs cache pin`.</summary>
    Pinned,

    /// <summary>A handle is open (or a fetch is filling it).</summary>
    Open,

    /// <summary>This mount holds the origin's write lease on it.</summary>
    Leased,

    /// <summary>A change of it waits in the outbox.</summary>
    Queued,
}
