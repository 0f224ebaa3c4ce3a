using System.Collections.Concurrent;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The kernel's lookup count of each inode it holds: one per entry it took from lookup, mknod, mkdir, symlink, link,
/// create and readdirplus (not "." and ".."), less what forget gives back. The core needs none of this (it keeps an
/// unlinked file alive through its handles and never reuses an id); the host uses it to let go of what it remembers
/// of an inode the kernel has dropped, page cache and all. Counted before the reply is sent, so a forget cannot come first.
/// </summary>
internal sealed class KernelInodes(Action<long> dropped)
{
    private readonly ConcurrentDictionary<long, long> _lookups = new();

    /// <summary>How many inodes the kernel holds by a lookup (the root it holds from the start is not counted).</summary>
    public int Count => _lookups.Count;

    /// <summary>The kernel's lookup count of <paramref name="id"/> as far as we know (0: it does not hold the inode).</summary>
    public long LookupsOf(long id) => _lookups.TryGetValue(id, out var count) ? count : 0;

    public void Looked(long id) => _lookups.AddOrUpdate(id, 1, static (_, n) => n + 1);

    /// <summary>The kernel gives back <paramref name="count"/> lookups (or never took them: the reply did not reach it).</summary>
    public void Forget(long id, long count)
    {
        while (_lookups.TryGetValue(id, out var held))
        {
            var left = held - count;
            if (left > 0 ? _lookups.TryUpdate(id, left, held) : _lookups.TryRemove(new KeyValuePair<long, long>(id, held)))
            {
                if (left <= 0)
                    dropped(id);
                return;
            }
        }
    }
}
