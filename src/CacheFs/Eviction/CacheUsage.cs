namespace CacheFs.Eviction;

/// <summary>The cache at a glance: how many files are in each content state, and what is dirty or pinned.</summary>
public sealed record CacheUsage
{
    public long CachedBytes { get; init; }
    public int CompleteFiles { get; init; }
    public int PartialFiles { get; init; }
    public int PlaceholderFiles { get; init; }
    public int DirtyFiles { get; init; }

    /// <summary>The size of the dirty files (the cache does not track which of their bytes changed).</summary>
    public long DirtyBytes { get; init; }
    public int PinnedFiles { get; init; }
    public long PinnedBytes { get; init; }

    public static CacheUsage Of(IEnumerable<CachedFile> files)
    {
        var usage = new CacheUsage();
        foreach (var f in files)
        {
            usage = usage with
            {
                CachedBytes = usage.CachedBytes + f.CachedBytes,
                CompleteFiles = usage.CompleteFiles + (f.Content == Nodes.ContentState.Complete ? 1 : 0),
                PartialFiles = usage.PartialFiles + (f.Content == Nodes.ContentState.Partial ? 1 : 0),
                PlaceholderFiles = usage.PlaceholderFiles + (f.Content == Nodes.ContentState.Placeholder ? 1 : 0),
                DirtyFiles = usage.DirtyFiles + (f.Dirty ? 1 : 0),
                DirtyBytes = usage.DirtyBytes + (f.Dirty ? f.Size : 0),
                PinnedFiles = usage.PinnedFiles + (f.Pinned ? 1 : 0),
                PinnedBytes = usage.PinnedBytes + (f.Pinned ? f.CachedBytes : 0),
            };
        }

        return usage;
    }
}
