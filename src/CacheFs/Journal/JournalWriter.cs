using CacheFs.Content;
using CacheFs.Nodes;
using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// The journal's one write session. Every mutation happens inside a transaction opened by
/// <see cref="MetadataJournal.BeginWrite"/>; <see cref="Commit"/> makes it the order of effect.
/// </summary>
internal sealed class JournalWriter : JournalSession
{
    private readonly Action _release;

    public JournalWriter(SqliteConnection connection, Action release)
        : base(connection) => _release = release;

    internal void Begin() => Transaction = Connection.BeginTransaction(deferred: false);

    public void Commit()
    {
        Transaction!.Commit();
        EndTransaction();
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
    }

    public long InsertNode(NodeAttributes node, string? symlinkTarget)
    {
        using var reader = Query(
            "INSERT INTO nodes(kind, size, mode, uid, gid, rdev, nlink, atime, mtime, ctime, btime, win_attrs, origin_version, " +
            "content_state, cached_bytes, dirty, pinned, last_access, symlink_target) " +
            "VALUES($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k, $l, $m, $n, $o, $p, $q, $r, $s) RETURNING id",
            NodeValues(node, symlinkTarget));
        reader.Read();
        return reader.GetInt64(0);
    }

    /// <summary>Writes every column of an existing node from <paramref name="node"/>.</summary>
    public void UpdateNode(NodeAttributes node) =>
        Execute(
            "UPDATE nodes SET size = $b, mode = $c, uid = $d, gid = $e, rdev = $f, nlink = $g, atime = $h, mtime = $i, ctime = $j, " +
            "btime = $k, win_attrs = $l, origin_version = $m, content_state = $n, cached_bytes = $o, dirty = $p, pinned = $q, " +
            "last_access = $r WHERE id = $a",
            node.Id,
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
            node.LastAccess.Nanoseconds);

    /// <summary>Writes back what the write path keeps in memory: size, times and content state, never names or modes.</summary>
    public void UpdateContentMetadata(long id, long size, Timestamp mtime, Timestamp ctime, Timestamp atime, Timestamp lastAccess, ContentState state, long cachedBytes, bool dirty) =>
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

    public void DeleteNode(long id)
    {
        Execute("DELETE FROM xattrs WHERE node = $a", id);
        Execute("DELETE FROM ranges WHERE node = $a", id);
        Execute("DELETE FROM nodes WHERE id = $a", id);
    }

    public long InsertEntry(long parent, string name, string fold, long child)
    {
        using var reader = Query(
            "INSERT INTO entries(parent, name, fold, child) VALUES($a, $b, $c, $d) RETURNING cookie",
            parent,
            name,
            fold,
            child);
        reader.Read();
        return reader.GetInt64(0);
    }

    /// <summary>Moves a name; the cookie stays, so a listing in progress neither repeats nor skips other entries.</summary>
    public void MoveEntry(long cookie, long parent, string name, string fold) =>
        Execute("UPDATE entries SET parent = $b, name = $c, fold = $d WHERE cookie = $a", cookie, parent, name, fold);

    public void PointEntry(long cookie, long child) => Execute("UPDATE entries SET child = $b WHERE cookie = $a", cookie, child);

    public void DeleteEntry(long cookie) => Execute("DELETE FROM entries WHERE cookie = $a", cookie);

    public void SetXattr(long node, string name, byte[] value) =>
        Execute("INSERT INTO xattrs(node, name, value) VALUES($a, $b, $c) ON CONFLICT(node, name) DO UPDATE SET value = excluded.value", node, name, value);

    public bool RemoveXattr(long node, string name) => Execute("DELETE FROM xattrs WHERE node = $a AND name = $b", node, name) > 0;

    public void ReplaceRanges(long node, RangeSet ranges)
    {
        Execute("DELETE FROM ranges WHERE node = $a", node);
        foreach (var (start, end) in ranges)
            Execute("INSERT INTO ranges(node, start, end) VALUES($a, $b, $c)", node, start, end);
    }

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

    private static object[] NodeValues(NodeAttributes node, string? symlinkTarget) =>
    [
        (long)node.Kind,
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
        (object?)symlinkTarget ?? DBNull.Value,
    ];
}
