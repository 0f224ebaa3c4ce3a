using CacheFs.Nodes;

namespace CacheFs.Eviction;

/// <summary>One entry of `cachefs cache ls`: what the cache holds of it and what keeps it there.</summary>
public sealed record FileState(
    string Path,
    NodeKind Kind,
    long Size,
    ContentState Content,
    long CachedBytes,
    bool Dirty,
    bool Pinned,
    bool Leased,
    bool Open,
    Timestamp LastAccess);
