using CacheFs.Nodes;

namespace CacheFs.Eviction;

/// <summary>One file's cache record as eviction and `cachefs cache ls` see it: what is present, and what pins it there.</summary>
public sealed record CachedFile(long Id, long Size, ContentState Content, long CachedBytes, bool Dirty, bool Pinned, Timestamp LastAccess);
