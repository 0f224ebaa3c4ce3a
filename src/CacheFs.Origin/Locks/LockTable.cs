using CacheFs.Protocol;

namespace CacheFs.Origin.Locks;

/// <summary>
/// The held locks of every node, as pure data: no I/O, no waiting, no threads (callers serialise). POSIX record locks
/// follow fcntl: an owner's new lock replaces its own locks where they overlap, splitting them, and merges with its own
/// adjacent or overlapping locks of the same type; only locks of different owners conflict. flock locks live in their
/// own space, cover the whole file, and an owner's new flock converts its old one (atomically: a refused upgrade keeps
/// the shared lock, where Linux may drop it).
/// </summary>
internal sealed class LockTable
{
    private readonly Dictionary<(long Node, LockFamily Family), List<HeldLock>> _held = [];

    public IReadOnlyList<HeldLock> Held(long node, LockFamily family) => _held.TryGetValue((node, family), out var locks) ? locks : [];

    /// <summary>The first lock of another owner that a <paramref name="type"/> lock on [start, end) would conflict with (F_GETLK).</summary>
    public HeldLock? Conflict(long node, LockFamily family, LockOwner owner, LockType type, long start, long end)
    {
        if (type == LockType.Unlock)
            return null;
        if (family == LockFamily.Flock)
            (start, end) = (0, HeldLock.Infinity);
        return Held(node, family).FirstOrDefault(l => l.ConflictsWith(owner, type, start, end));
    }

    /// <summary>Takes, converts or releases a lock; returns the conflicting lock instead when it cannot be taken.</summary>
    public HeldLock? Set(long node, LockFamily family, LockOwner owner, LockType type, long start, long end, int pid, string clientName)
    {
        if (family == LockFamily.Flock)
            (start, end) = (0, HeldLock.Infinity);
        if (Conflict(node, family, owner, type, start, end) is { } conflict)
            return conflict;

        var result = new List<HeldLock>();
        foreach (var held in Held(node, family))
        {
            if (held.Owner != owner || !held.Overlaps(start, end))
            {
                result.Add(held);
                continue;
            }

            if (held.Start < start)
                result.Add(held with { End = start });
            if (held.End > end)
                result.Add(held with { Start = end });
        }

        if (type != LockType.Unlock)
            result.Add(new HeldLock(owner, type, start, end, pid, clientName));
        Store(node, family, MergeOwn(result, owner));
        return null;
    }

    /// <summary>Drops every lock of one owner on one node; true if there was one.</summary>
    public bool ReleaseOwner(long node, LockFamily family, LockOwner owner)
    {
        var held = Held(node, family);
        var kept = held.Where(l => l.Owner != owner).ToList();
        if (kept.Count == held.Count)
            return false;
        Store(node, family, kept);
        return true;
    }

    /// <summary>Drops every lock on a node, of every owner (an admin's break); returns what was held.</summary>
    public List<(LockFamily Family, HeldLock Lock)> ReleaseNode(long node)
    {
        var broken = new List<(LockFamily, HeldLock)>();
        foreach (var family in (LockFamily[])[LockFamily.Posix, LockFamily.Flock])
        {
            if (_held.Remove((node, family), out var locks))
                broken.AddRange(locks.Select(l => (family, l)));
        }

        return broken;
    }

    /// <summary>Drops every lock of a session; returns the nodes that lost one.</summary>
    public List<long> ReleaseSession(string sessionId)
    {
        var nodes = new List<long>();
        foreach (var key in _held.Keys.ToList())
        {
            var held = _held[key];
            var kept = held.Where(l => l.Owner.SessionId != sessionId).ToList();
            if (kept.Count == held.Count)
                continue;
            Store(key.Node, key.Family, kept);
            nodes.Add(key.Node);
        }

        return nodes;
    }

    public int Count => _held.Values.Sum(l => l.Count);

    private static List<HeldLock> MergeOwn(List<HeldLock> locks, LockOwner owner)
    {
        var merged = locks.Where(l => l.Owner != owner).ToList();
        HeldLock? current = null;
        foreach (var own in locks.Where(l => l.Owner == owner).OrderBy(l => l.Start))
        {
            if (current is not null && own.Type == current.Type && own.Start <= current.End)
            {
                current = current with { End = Math.Max(current.End, own.End), Pid = own.Pid };
                continue;
            }

            if (current is not null)
                merged.Add(current);
            current = own;
        }

        if (current is not null)
            merged.Add(current);
        return merged;
    }

    private void Store(long node, LockFamily family, List<HeldLock> locks)
    {
        if (locks.Count == 0)
            _held.Remove((node, family));
        else
            _held[(node, family)] = locks;
    }
}
