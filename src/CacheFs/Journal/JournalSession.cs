using CacheFs.Content;
using CacheFs.Nodes;
using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// One SQLite connection with its prepared statements and the journal's queries.
/// Not thread-safe: a session is used by one caller at a time (rented from the pool, or the writer under its lock).
/// </summary>
internal class JournalSession : IDisposable
{
    private const string NodeColumns =
        "n.id, n.kind, n.size, n.mode, n.uid, n.gid, n.rdev, n.nlink, n.atime, n.mtime, n.ctime, n.btime, " +
        "n.win_attrs, n.origin_version, n.content_state, n.cached_bytes, n.dirty, n.pinned, n.last_access, n.parent, n.origin_id";

    private const int NodeColumnCount = 21;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public JournalSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    protected SqliteTransaction? Transaction { get; set; }

    public virtual NodeAttributes? GetNode(long id)
    {
        using var reader = Query("SELECT " + NodeColumns + " FROM nodes n WHERE n.id = $a", id);
        return reader.Read() ? ReadNode(reader, 0) : null;
    }

    public virtual EntryRow? LookupEntry(long parent, string fold)
    {
        using var reader = Query("SELECT cookie, name, child FROM entries WHERE parent = $a AND fold = $b", parent, fold);
        return reader.Read() ? new EntryRow(reader.GetInt64(0), parent, reader.GetString(1), fold, reader.GetInt64(2)) : null;
    }

    /// <summary>A lookup that returns the child's attributes in the same query.</summary>
    public virtual (EntryRow Entry, NodeAttributes Node)? LookupNode(long parent, string fold)
    {
        using var reader = Query(
            "SELECT " + NodeColumns + ", e.cookie, e.name FROM entries e JOIN nodes n ON n.id = e.child WHERE e.parent = $a AND e.fold = $b",
            parent,
            fold);
        if (!reader.Read())
            return null;
        var node = ReadNode(reader, 0);
        return (new EntryRow(reader.GetInt64(NodeColumnCount), parent, reader.GetString(NodeColumnCount + 1), fold, node.Id), node);
    }

    public List<DirectoryEntry> ListEntries(long parent, long afterCookie, int limit)
    {
        using var reader = Query(
            "SELECT " + NodeColumns + ", e.cookie, e.name FROM entries e JOIN nodes n ON n.id = e.child " +
            "WHERE e.parent = $a AND e.cookie > $b ORDER BY e.cookie LIMIT $c",
            parent,
            afterCookie,
            limit);
        var list = new List<DirectoryEntry>(Math.Min(limit, 256));
        while (reader.Read())
            list.Add(new DirectoryEntry(reader.GetString(NodeColumnCount + 1), reader.GetInt64(NodeColumnCount), ReadNode(reader, 0)));
        return list;
    }

    public bool HasEntries(long parent)
    {
        using var reader = Query("SELECT 1 FROM entries WHERE parent = $a LIMIT 1", parent);
        return reader.Read();
    }

    /// <summary>The directory holding <paramref name="directory"/>; directories have exactly one name.</summary>
    public long? ParentOf(long directory) => GetNode(directory) is { IsDirectory: true } node ? node.Parent : null;

    /// <summary>The largest node id and cookie ever committed: where the writer's allocators continue.</summary>
    public (long NodeId, long Cookie) HighestIds()
    {
        using var reader = Query("SELECT (SELECT coalesce(max(id), 0) FROM nodes), (SELECT coalesce(max(cookie), 0) FROM entries)");
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// The '/'-separated path of one of the node's names from the root ("" for the root), or null if the node has no
    /// name. Directories have exactly one; a hard-linked file answers with the name that sorts first in the index.
    /// </summary>
    public string? PathOf(long id)
    {
        var parts = new List<string>();
        for (var at = id; at != NodeIds.Root;)
        {
            using var reader = Query("SELECT parent, name FROM entries WHERE child = $a LIMIT 1", at);
            if (!reader.Read() || parts.Count > 4096)
                return null;
            parts.Add(reader.GetString(1));
            at = reader.GetInt64(0);
        }

        parts.Reverse();
        return string.Join('/', parts);
    }

    /// <summary>The node the origin knows by <paramref name="originId"/>, if any.</summary>
    public long? NodeOfOrigin(long originId)
    {
        using var reader = Query("SELECT id FROM nodes WHERE origin_id = $a LIMIT 1", originId);
        return reader.Read() ? reader.GetInt64(0) : null;
    }

    /// <summary>The oldest queued changes after <paramref name="afterSequence"/>, in order.</summary>
    public List<Remote.OutboxEntry> ReadOutbox(long afterSequence, int limit)
    {
        using var reader = Query("SELECT seq, kind, node, path, new_path, flags, name, base_version, target FROM outbox WHERE seq > $a ORDER BY seq LIMIT $b", afterSequence, limit);
        var entries = new List<Remote.OutboxEntry>();
        while (reader.Read())
        {
            entries.Add(new Remote.OutboxEntry(
                reader.GetInt64(0),
                (Remote.OutboxKind)reader.GetInt32(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6))
            {
                BaseVersion = reader.IsDBNull(7) ? null : reader.GetString(7),
                Target = reader.GetInt64(8),
            });
        }

        return entries;
    }

    /// <summary>Whether a queued change still mentions the node (then the origin's view of it must not overwrite ours).</summary>
    public bool HasQueuedChanges(long node)
    {
        using var reader = Query("SELECT 1 FROM outbox WHERE node = $a LIMIT 1", node);
        return reader.Read();
    }

    /// <summary>Whether an upload of the node's content is queued (it sends the bytes current at replay time).</summary>
    public bool HasQueuedUpload(long node)
    {
        using var reader = Query("SELECT 1 FROM outbox WHERE node = $a AND kind = $b LIMIT 1", node, (long)Remote.OutboxKind.Upload);
        return reader.Read();
    }

    public List<Remote.ConflictRecord> ListConflicts(bool includeResolved)
    {
        using var reader = Query("SELECT id, path, kind, kept_as, detail, at, resolved FROM conflicts WHERE resolved = 0 OR $a ORDER BY id", includeResolved ? 1L : 0L);
        var conflicts = new List<Remote.ConflictRecord>();
        while (reader.Read())
        {
            conflicts.Add(new Remote.ConflictRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                (Remote.ConflictKind)reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetInt64(5),
                reader.GetInt64(6) != 0));
        }

        return conflicts;
    }

    /// <summary>The newest queued change's sequence, 0 when the outbox is empty.</summary>
    public long OutboxTail()
    {
        using var reader = Query("SELECT coalesce(max(seq), 0) FROM outbox");
        reader.Read();
        return reader.GetInt64(0);
    }

    /// <summary>The sequence of the newest change ever queued (sequences are never reused), 0 when none ever was.</summary>
    public long OutboxLastQueued()
    {
        using var reader = Query("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)");
        reader.Read();
        return reader.GetInt64(0);
    }

    /// <summary>The oldest queued change's sequence, 0 when the outbox is empty.</summary>
    public long OutboxHead()
    {
        using var reader = Query("SELECT coalesce(min(seq), 0) FROM outbox");
        reader.Read();
        return reader.GetInt64(0);
    }

    public long CountOutbox()
    {
        using var reader = Query("SELECT count(*) FROM outbox");
        reader.Read();
        return reader.GetInt64(0);
    }

    /// <summary>
    /// What the uploads waiting in the outbox will send: a file's changed ranges when its change record counts from the
    /// version the origin has and covers under half the file (the replay then sends only those), else the whole file.
    /// </summary>
    public long SumOutboxUploadBytes()
    {
        using var reader = Query(
            """
            SELECT coalesce(sum(CASE WHEN n.changes_base = n.origin_version AND n.origin_version <> '' AND 2 * coalesce(c.changed, 0) < n.size
                                     THEN coalesce(c.changed, 0) ELSE n.size END), 0)
            FROM nodes n LEFT JOIN (SELECT node, sum(end - start) AS changed FROM changes GROUP BY node) c ON c.node = n.id
            WHERE n.id IN (SELECT node FROM outbox WHERE kind = $a)
            """,
            (long)Remote.OutboxKind.Upload);
        reader.Read();
        return reader.GetInt64(0);
    }

    public string? GetSymlinkTarget(long id)
    {
        using var reader = Query("SELECT symlink_target FROM nodes WHERE id = $a", id);
        return reader.Read() && !reader.IsDBNull(0) ? reader.GetString(0) : null;
    }

    public byte[]? GetXattr(long node, string name)
    {
        using var reader = Query("SELECT value FROM xattrs WHERE node = $a AND name = $b", node, name);
        return reader.Read() ? (byte[])reader.GetValue(0) : null;
    }

    public List<string> ListXattrs(long node)
    {
        using var reader = Query("SELECT name FROM xattrs WHERE node = $a ORDER BY name", node);
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    public RangeSet GetRanges(long node)
    {
        using var reader = Query("SELECT start, end FROM ranges WHERE node = $a ORDER BY start", node);
        var set = new RangeSet();
        while (reader.Read())
            set.Add(reader.GetInt64(0), reader.GetInt64(1));
        return set;
    }

    /// <summary>A file's change record: the origin version it is relative to (null: not known) and the changed ranges.</summary>
    public (string? Base, RangeSet Ranges) GetChanges(long node)
    {
        string? baseVersion;
        using (var reader = Query("SELECT changes_base FROM nodes WHERE id = $a", node))
            baseVersion = reader.Read() && !reader.IsDBNull(0) ? reader.GetString(0) : null;
        var set = new RangeSet();
        if (baseVersion is null)
            return (null, set);
        using (var reader = Query("SELECT start, end FROM changes WHERE node = $a", node))
        {
            while (reader.Read())
                set.Add(reader.GetInt64(0), reader.GetInt64(1));
        }

        return (baseVersion, set);
    }

    public string? GetSetting(string key)
    {
        using var reader = Query("SELECT value FROM volume_meta WHERE key = $a", key);
        return reader.Read() ? Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public long CountNodes()
    {
        using var reader = Query("SELECT count(*) FROM nodes");
        reader.Read();
        return reader.GetInt64(0);
    }

    public List<long> ListUnlinkedNodes()
    {
        using var reader = Query("SELECT id FROM nodes WHERE nlink = 0");
        var ids = new List<long>();
        while (reader.Read())
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>Every file with its journal size and content state, for recovery's comparison with the objects on disk.</summary>
    public List<(long Id, long Size, ContentState State, bool Dirty)> ListFiles()
    {
        using var reader = Query("SELECT id, size, content_state, dirty FROM nodes WHERE kind = $a", (long)NodeKind.File);
        var files = new List<(long, long, ContentState, bool)>();
        while (reader.Read())
            files.Add((reader.GetInt64(0), reader.GetInt64(1), (ContentState)reader.GetInt32(2), reader.GetInt64(3) != 0));
        return files;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
        Connection.Dispose();
        GC.SuppressFinalize(this);
    }

    protected SqliteDataReader Query(string sql, params object[] args) => Prepare(sql, args).ExecuteReader();

    protected int Execute(string sql, params object[] args) => Prepare(sql, args).ExecuteNonQuery();

    private SqliteCommand Prepare(string sql, object[] args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < args.Length; i++)
                command.Parameters.Add(new SqliteParameter("$" + (char)('a' + i), null));
            _commands[sql] = command;
        }

        command.Transaction = Transaction;
        for (var i = 0; i < args.Length; i++)
            command.Parameters[i].Value = args[i];
        return command;
    }

    private static NodeAttributes ReadNode(SqliteDataReader r, int o) => new()
    {
        Id = r.GetInt64(o),
        Kind = (NodeKind)r.GetInt32(o + 1),
        Size = r.GetInt64(o + 2),
        Mode = (uint)r.GetInt64(o + 3),
        Uid = (uint)r.GetInt64(o + 4),
        Gid = (uint)r.GetInt64(o + 5),
        DeviceNumber = (ulong)r.GetInt64(o + 6),
        LinkCount = (uint)r.GetInt64(o + 7),
        AccessTime = new Timestamp(r.GetInt64(o + 8)),
        ModifyTime = new Timestamp(r.GetInt64(o + 9)),
        ChangeTime = new Timestamp(r.GetInt64(o + 10)),
        BirthTime = new Timestamp(r.GetInt64(o + 11)),
        WindowsAttributes = (uint)r.GetInt64(o + 12),
        OriginVersion = r.GetString(o + 13),
        Content = (ContentState)r.GetInt32(o + 14),
        CachedBytes = r.GetInt64(o + 15),
        Dirty = r.GetInt64(o + 16) != 0,
        Pinned = r.GetInt64(o + 17) != 0,
        LastAccess = new Timestamp(r.GetInt64(o + 18)),
        Parent = r.GetInt64(o + 19),
        OriginId = r.GetInt64(o + 20),
    };
}
