using CacheFs.Content;
using CacheFs.Nodes;
using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// The journal's one write session. Every mutation happens inside a transaction opened by
/// <see cref="MetadataJournal.BeginWrite"/>; <see cref="Commit"/> makes it the order of effect and publishes exactly
/// what changed to the <see cref="NodeCache"/>. Reads inside the transaction see its own changes first.
/// </summary>
internal sealed class JournalWriter : JournalSession
{
    private readonly Action _release;
    private readonly NodeCache _cache;
    private readonly Action<bool> _committed;
    private bool _outboxAppended;

    // What the open transaction changed, published to the cache at commit and dropped at rollback.
    private readonly Dictionary<long, NodeAttributes?> _nodes = [];
    private readonly HashSet<long> _reread = [];
    private readonly Dictionary<(long, string), EntryRow?> _entries = [];

    // Ids and cookies are never reused, not even after a crash: each block of them is reserved in the journal, in the
    // transaction that first needs it, before any is handed out.
    private const long ReserveBlock = 4096;
    private const string NodeIdReserved = "node_id_reserved";
    private const string CookieReserved = "cookie_reserved";
    private long _lastNodeId;
    private long _lastCookie;
    private long _nodeIdLimit;
    private long _cookieLimit;
    private long _nodeIdLimitCommitted;
    private long _cookieLimitCommitted;

    public JournalWriter(SqliteConnection connection, NodeCache cache, Action<bool> committed, Action release)
        : base(connection)
    {
        _cache = cache;
        _committed = committed;
        _release = release;
    }

    /// <summary>Continues the id and cookie sequences after what the journal holds; called once, at open.</summary>
    internal void StartAllocators()
    {
        var (node, cookie) = HighestIds();
        _lastNodeId = Math.Max(node, ReadReservation(NodeIdReserved));
        _lastCookie = Math.Max(cookie, ReadReservation(CookieReserved));
        _nodeIdLimit = _nodeIdLimitCommitted = _lastNodeId;
        _cookieLimit = _cookieLimitCommitted = _lastCookie;
    }

    internal void Begin() => Transaction = Connection.BeginTransaction(deferred: false);

    public void Commit()
    {
        Transaction!.Commit();
        EndTransaction();
        _nodeIdLimitCommitted = _nodeIdLimit;
        _cookieLimitCommitted = _cookieLimit;
        _cache.Apply(_nodes, _reread, _entries);
        var outboxAppended = _outboxAppended;
        ForgetChanges();
        _committed(outboxAppended);
    }

    /// <summary>Ends the write: rolls back what was not committed and lets the next writer in.</summary>
    public void End()
    {
        RollbackUncommitted();
        _release();
    }

    /// <summary>Rolls back the open transaction, if any, keeping the write lock.</summary>
    internal void RollbackUncommitted()
    {
        if (Transaction is not null)
        {
            Transaction.Rollback();
            EndTransaction();
        }

        // A rolled-back reservation is no reservation: the next allocation makes it again.
        _nodeIdLimit = _nodeIdLimitCommitted;
        _cookieLimit = _cookieLimitCommitted;
        ForgetChanges();
    }

    public override NodeAttributes? GetNode(long id)
    {
        if (_nodes.TryGetValue(id, out var changed))
            return changed;
        if (_reread.Contains(id))
            return base.GetNode(id);
        if (_cache.TryGetNode(id, out var cached))
            return cached;

        // Not changed by this transaction, so what SQLite returns here is committed state: safe to cache.
        var node = base.GetNode(id);
        if (node is not null)
            _cache.FillNode(_cache.Generation, node);
        return node;
    }

    public override EntryRow? LookupEntry(long parent, string fold)
    {
        if (_entries.TryGetValue((parent, fold), out var changed))
            return changed;
        if (_cache.TryGetEntry(parent, fold, out var cached))
            return cached;
        var entry = base.LookupEntry(parent, fold);
        _cache.FillEntry(_cache.Generation, parent, fold, entry);
        return entry;
    }

    public override (EntryRow Entry, NodeAttributes Node)? LookupNode(long parent, string fold)
    {
        if (LookupEntry(parent, fold) is not { } entry)
            return null;
        return GetNode(entry.Child) is { } node ? (entry, node) : null;
    }

    /// <summary>Inserts a node under a fresh id (never one used before in this process) and returns it.</summary>
    public long InsertNode(NodeAttributes node, string? symlinkTarget)
    {
        if (_lastNodeId >= _nodeIdLimit)
            _nodeIdLimit = Reserve(NodeIdReserved, _lastNodeId);
        var id = ++_lastNodeId;
        node = node with { Id = id };
        Execute(
            "INSERT INTO nodes(id, kind, size, mode, uid, gid, rdev, nlink, atime, mtime, ctime, btime, win_attrs, origin_version, " +
            "content_state, cached_bytes, dirty, pinned, last_access, parent, origin_id, symlink_target) " +
            "VALUES($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k, $l, $m, $n, $o, $p, $q, $r, $s, $t, $u, $v)",
            [id, (long)node.Kind, .. NodeValues(node), (object?)symlinkTarget ?? DBNull.Value]);
        _nodes[id] = node;
        _reread.Remove(id);
        return id;
    }

    /// <summary>Writes every column of an existing node from <paramref name="node"/>.</summary>
    public void UpdateNode(NodeAttributes node)
    {
        Execute(
            "UPDATE nodes SET size = $b, mode = $c, uid = $d, gid = $e, rdev = $f, nlink = $g, atime = $h, mtime = $i, ctime = $j, " +
            "btime = $k, win_attrs = $l, origin_version = $m, content_state = $n, cached_bytes = $o, dirty = $p, pinned = $q, " +
            "last_access = $r, parent = $s, origin_id = $t WHERE id = $a",
            [node.Id, .. NodeValues(node)]);
        _nodes[node.Id] = node;
        _reread.Remove(node.Id);
    }

    /// <summary>Writes back what the write path keeps in memory: size, times and content state, never names or modes.</summary>
    public void UpdateContentMetadata(long id, long size, Timestamp mtime, Timestamp ctime, Timestamp atime, Timestamp lastAccess, ContentState state, long cachedBytes, bool dirty)
    {
        Execute(
            "UPDATE nodes SET size = $b, mtime = $c, ctime = max(ctime, $d), atime = $e, last_access = $f, content_state = $g, " +
            "cached_bytes = $h, dirty = $i WHERE id = $a",
            id,
            size,
            mtime.Nanoseconds,
            ctime.Nanoseconds,
            atime.Nanoseconds,
            lastAccess.Nanoseconds,
            (long)state,
            cachedBytes,
            dirty ? 1L : 0L);
        _nodes.Remove(id);
        _reread.Add(id);
    }

    /// <summary>Moves a node's last-access time forward (never back): the eviction order's hint.</summary>
    public void TouchLastAccess(long id, Timestamp lastAccess)
    {
        Execute("UPDATE nodes SET last_access = max(last_access, $b) WHERE id = $a", id, lastAccess.Nanoseconds);
        _nodes.Remove(id);
        _reread.Add(id);
    }

    public void DeleteNode(long id)
    {
        Execute("DELETE FROM xattrs WHERE node = $a", id);
        Execute("DELETE FROM ranges WHERE node = $a", id);
        Execute("DELETE FROM changes WHERE node = $a", id);
        Execute("DELETE FROM nodes WHERE id = $a", id);
        _nodes[id] = null;
        _reread.Remove(id);
    }

    /// <summary>Adds a name under a fresh cookie, after every cookie the parent's listing has handed out.</summary>
    public EntryRow InsertEntry(long parent, string name, string fold, long child)
    {
        if (_lastCookie >= _cookieLimit)
            _cookieLimit = Reserve(CookieReserved, _lastCookie);
        var entry = new EntryRow(++_lastCookie, parent, name, fold, child);
        Execute(
            "INSERT INTO entries(parent, fold, name, child, cookie) VALUES($a, $b, $c, $d, $e)",
            parent,
            fold,
            name,
            child,
            entry.Cookie);
        _entries[(parent, fold)] = entry;
        return entry;
    }

    /// <summary>Moves a name; the cookie stays, so a listing in progress neither repeats nor skips other entries.</summary>
    public void MoveEntry(EntryRow entry, long parent, string name, string fold)
    {
        Execute(
            "UPDATE entries SET parent = $c, fold = $d, name = $e WHERE parent = $a AND fold = $b",
            entry.Parent,
            entry.Fold,
            parent,
            fold,
            name);
        _entries[(entry.Parent, entry.Fold)] = null;
        _entries[(parent, fold)] = entry with { Parent = parent, Name = name, Fold = fold };
    }

    public void PointEntry(EntryRow entry, long child)
    {
        Execute("UPDATE entries SET child = $c WHERE parent = $a AND fold = $b", entry.Parent, entry.Fold, child);
        _entries[(entry.Parent, entry.Fold)] = entry with { Child = child };
    }

    public void DeleteEntry(EntryRow entry)
    {
        Execute("DELETE FROM entries WHERE parent = $a AND fold = $b", entry.Parent, entry.Fold);
        _entries[(entry.Parent, entry.Fold)] = null;
    }

    public void SetXattr(long node, string name, byte[] value) =>
        Execute("INSERT INTO xattrs(node, name, value) VALUES($a, $b, $c) ON CONFLICT(node, name) DO UPDATE SET value = excluded.value", node, name, value);

    public bool RemoveXattr(long node, string name) => Execute("DELETE FROM xattrs WHERE node = $a AND name = $b", node, name) > 0;

    public void ReplaceRanges(long node, RangeSet ranges)
    {
        Execute("DELETE FROM ranges WHERE node = $a", node);
        foreach (var (start, end) in ranges)
            Execute("INSERT INTO ranges(node, start, end) VALUES($a, $b, $c)", node, start, end);
    }

    /// <summary>
    /// Writes a file's change record (see <see cref="Volume.ChangeRecord"/>): with <paramref name="restart"/> the old
    /// rows go first; a null <paramref name="baseVersion"/> means not known, and keeps no rows.
    /// </summary>
    public void WriteChanges(long node, string? baseVersion, bool restart, IEnumerable<(long Start, long End)> added)
    {
        if (restart || baseVersion is null)
            Execute("DELETE FROM changes WHERE node = $a", node);
        Execute("UPDATE nodes SET changes_base = $b WHERE id = $a", node, (object?)baseVersion ?? DBNull.Value);
        if (baseVersion is null)
            return;
        foreach (var (start, end) in added)
            Execute("INSERT INTO changes(node, start, end) VALUES($a, $b, $c) ON CONFLICT(node, start) DO UPDATE SET end = max(end, excluded.end)", node, start, end);
    }

    /// <summary>After a reboot no change record is trusted: see <see cref="Volume.ChangeRecord"/>.</summary>
    public void ForgetAllChanges()
    {
        Execute("DELETE FROM changes");
        Execute("UPDATE nodes SET changes_base = NULL WHERE changes_base IS NOT NULL");
    }

    /// <summary>Queues a change for the origin; see <see cref="Remote.OutboxEntry"/>.</summary>
    public void AppendOutbox(Remote.OutboxKind kind, long node, string path, string? newPath = null, int flags = 0, string? name = null, string? baseVersion = null, long target = 0)
    {
        _outboxAppended = true;
        Execute(
            "INSERT INTO outbox(kind, node, path, new_path, flags, name, base_version, target) VALUES($a, $b, $c, $d, $e, $f, $g, $h)",
            (long)kind,
            node,
            path,
            (object?)newPath ?? DBNull.Value,
            (long)flags,
            (object?)name ?? DBNull.Value,
            (object?)baseVersion ?? DBNull.Value,
            target);
    }

    /// <summary>
    /// The node's bytes reached the origin as <paramref name="version"/>: a removal of it queued after that upload
    /// removes this version, not the one it was queued against (our own upload is no clash); so does a rename over it.
    /// </summary>
    public void MoveQueuedRemovalBase(long node, long afterSequence, string version) =>
        Execute(
            """
            UPDATE outbox SET base_version = $c
            WHERE seq > $b AND base_version IS NOT NULL AND ((kind = $d AND node = $a) OR (kind = $e AND target = $a))
            """,
            node,
            afterSequence,
            version,
            (long)Remote.OutboxKind.Remove,
            (long)Remote.OutboxKind.Rename);

    public void ResolveConflict(long id) => Execute("UPDATE conflicts SET resolved = 1 WHERE id = $a", id);

    public void AddConflict(string path, int kind, string? keptAs, string detail, long atNanoseconds) =>
        Execute(
            "INSERT INTO conflicts(path, kind, kept_as, detail, at) VALUES($a, $b, $c, $d, $e)",
            path,
            (long)kind,
            (object?)keptAs ?? DBNull.Value,
            detail,
            atNanoseconds);

    /// <summary>
    /// The origin made the node at <paramref name="newPath"/> instead of <paramref name="path"/>: its changes queued
    /// after <paramref name="afterSequence"/> that name it at <paramref name="path"/> name it there.
    /// </summary>
    public void RetargetQueued(long node, long afterSequence, string path, string newPath) =>
        Execute("UPDATE outbox SET path = $d WHERE node = $a AND seq > $b AND path = $c", node, afterSequence, path, newPath);

    public void DeleteOutbox(long sequence) => Execute("DELETE FROM outbox WHERE seq = $a", sequence);

    public long BumpCounter(string key)
    {
        using var reader = Query(
            "INSERT INTO volume_meta(key, value) VALUES($a, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value",
            key);
        reader.Read();
        return reader.GetInt64(0);
    }

    public void SetSetting(string key, string value) =>
        Execute("INSERT INTO volume_meta(key, value) VALUES($a, $b) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);

    private void EndTransaction()
    {
        Transaction!.Dispose();
        Transaction = null;
    }

    private long Reserve(string key, long last)
    {
        var limit = last + ReserveBlock;
        SetSetting(key, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return limit;
    }

    private long ReadReservation(string key) =>
        GetSetting(key) is { } value ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private void ForgetChanges()
    {
        _outboxAppended = false;
        _nodes.Clear();
        _reread.Clear();
        _entries.Clear();
    }

    /// <summary>The node's columns after id and kind, in the order both INSERT and UPDATE name them.</summary>
    private static object[] NodeValues(NodeAttributes node) =>
    [
        node.Size,
        (long)node.Mode,
        (long)node.Uid,
        (long)node.Gid,
        (long)node.DeviceNumber,
        (long)node.LinkCount,
        node.AccessTime.Nanoseconds,
        node.ModifyTime.Nanoseconds,
        node.ChangeTime.Nanoseconds,
        node.BirthTime.Nanoseconds,
        (long)node.WindowsAttributes,
        node.OriginVersion,
        (long)node.Content,
        node.CachedBytes,
        node.Dirty ? 1L : 0L,
        node.Pinned ? 1L : 0L,
        node.LastAccess.Nanoseconds,
        node.Parent,
        node.OriginId,
    ];
}
