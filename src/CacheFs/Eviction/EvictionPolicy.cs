using CacheFs.Nodes;

namespace CacheFs.Eviction;

/// <summary>
/// Which files eviction may free, and in what order: least recently used first, the bigger first among equals (fewer
/// files to refetch for the same space). The journal-only rules live here; whether a file is open or leased is decided
/// by the volume at the moment it evicts, under the file's lock.
/// </summary>
public static class EvictionPolicy
{
    /// <summary>Files holding content, oldest use first, limited to those last used before <paramref name="usedBefore"/>.</summary>
    public static IEnumerable<CachedFile> Order(IEnumerable<CachedFile> files, Timestamp? usedBefore = null) =>
        files
            .Where(f => f.CachedBytes > 0 && (usedBefore is not { } cutoff || f.LastAccess < cutoff))
            .OrderBy(f => f.LastAccess)
            .ThenByDescending(f => f.CachedBytes)
            .ThenBy(f => f.Id);

    /// <summary>Why the journal alone already forbids freeing <paramref name="file"/>; null when it may go.</summary>
    public static SkipReason? Forbidden(CachedFile file) =>
        file.Dirty ? SkipReason.Dirty : file.Pinned ? SkipReason.Pinned : null;
}
