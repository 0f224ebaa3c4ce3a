using System.Collections.Concurrent;
using CacheFs.Nodes;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// Decides keep_cache on open: the kernel may keep a file's page cache when the content is what it was when the kernel
/// last saw it (same mtime, size and origin version at the previous open or release). Writes through the mount update
/// the page cache themselves, so they do not spoil it, whichever of a file's names they came through: the kernel has one
/// inode, and one page cache, per node. Changes from elsewhere (the origin) also drop the pages through
/// fuse_lowlevel_notify_inval_inode; this check is the second line.
/// </summary>
internal sealed class KernelCache
{
    private readonly ConcurrentDictionary<long, (Timestamp ModifyTime, long Size, string Version)> _seen = new();

    /// <summary>Whether the kernel may keep its cached pages for this open; remembers what it will now hold.</summary>
    public bool Open(NodeAttributes file)
    {
        var now = (file.ModifyTime, file.Size, file.OriginVersion);
        var keep = _seen.TryGetValue(file.Id, out var seen) && seen == now;
        _seen[file.Id] = now;
        return keep;
    }

    /// <summary>After a writable handle closes: what the kernel's cache reflects now.</summary>
    public void Release(NodeAttributes file) => _seen[file.Id] = (file.ModifyTime, file.Size, file.OriginVersion);

    /// <summary>The kernel dropped the inode, and its pages with it.</summary>
    public void Forget(long id) => _seen.TryRemove(id, out _);
}
