using System.Collections.Concurrent;
using CacheFs.Nodes;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// Decides keep_cache on open: the kernel may keep a file's page cache when the content is what it was when the kernel
/// last saw it (same mtime and size at the previous open or release). Writes through the mount update the page cache
/// themselves, so they do not spoil it. Files with several names are never kept: the high-level API gives each name its
/// own kernel inode, and a write through one name would leave the other's cache stale.
/// </summary>
internal sealed class KernelCache
{
    private readonly ConcurrentDictionary<long, (Timestamp ModifyTime, long Size)> _seen = new();

    /// <summary>Whether the kernel may keep its cached pages for this open; remembers what it will now hold.</summary>
    public bool Open(NodeAttributes file)
    {
        var now = (file.ModifyTime, file.Size);
        var keep = file.LinkCount <= 1 && _seen.TryGetValue(file.Id, out var seen) && seen == now;
        _seen[file.Id] = now;
        return keep;
    }

    /// <summary>After a writable handle closes: what the kernel's cache reflects now.</summary>
    public void Release(NodeAttributes file) => _seen[file.Id] = (file.ModifyTime, file.Size);
}
