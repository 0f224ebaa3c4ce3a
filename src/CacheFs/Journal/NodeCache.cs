using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CacheFs.Nodes;

namespace CacheFs.Journal;

/// <summary>
/// Committed journal state kept in memory: nodes by id and names by (parent, folded name), negative names included,
/// so getattr and lookup do not reach SQLite. Only the journal's writer changes it, at commit, with exactly what the
/// transaction changed.
/// </summary>
/// <remarks>
/// A reader that misses fills the cache from SQLite, but only if no commit happened since it read the generation
/// before its query: a fill can never put back a state older than a commit it raced with. A fill that lands before a
/// racing commit's <see cref="Apply"/> is overwritten by it, because the commit lists every key it changed.
/// </remarks>
internal sealed class NodeCache
{
    /// <summary>Entries (nodes plus names) held before the cache starts over; about 100 MB at the worst.</summary>
    private const int Capacity = 1 << 19;

    private readonly ConcurrentDictionary<long, NodeAttributes> _nodes = new();
    private readonly ConcurrentDictionary<(long Parent, string Fold), EntryRow?> _entries = new();
    private readonly Lock _lock = new();
    private long _generation;
    private int _count;

    public long Generation => Volatile.Read(ref _generation);

    public bool TryGetNode(long id, [NotNullWhen(true)] out NodeAttributes? node) => _nodes.TryGetValue(id, out node);

    /// <summary>A hit with a null entry is a cached "no such name".</summary>
    public bool TryGetEntry(long parent, string fold, out EntryRow? entry) => _entries.TryGetValue((parent, fold), out entry);

    public void FillNode(long generation, NodeAttributes node)
    {
        lock (_lock)
        {
            if (_generation != generation)
                return;
            MakeRoomLocked();
            _nodes[node.Id] = node;
        }
    }

    public void FillEntry(long generation, long parent, string fold, EntryRow? entry)
    {
        lock (_lock)
        {
            if (_generation != generation)
                return;
            MakeRoomLocked();
            _entries[(parent, fold)] = entry;
        }
    }

    /// <summary>Publishes one committed transaction: nodes set, removed (null) or to be re-read (absent from both maps).</summary>
    public void Apply(Dictionary<long, NodeAttributes?> nodes, HashSet<long> reread, Dictionary<(long, string), EntryRow?> entries)
    {
        lock (_lock)
        {
            _generation++;
            MakeRoomLocked();
            foreach (var (id, node) in nodes)
            {
                if (node is null)
                    _nodes.TryRemove(id, out _);
                else
                    _nodes[id] = node;
            }

            foreach (var id in reread)
                _nodes.TryRemove(id, out _);
            foreach (var (key, entry) in entries)
                _entries[key] = entry;
            _count += nodes.Count + entries.Count;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _generation++;
            _nodes.Clear();
            _entries.Clear();
            _count = 0;
        }
    }

    private void MakeRoomLocked()
    {
        if (++_count < Capacity)
            return;

        // Starting over is crude but O(1) per operation on average and never wrong; the hot set refills at once.
        _nodes.Clear();
        _entries.Clear();
        _count = 0;
    }
}
