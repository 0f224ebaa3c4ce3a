using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>The journal's schema as an ordered list of migrations; <c>PRAGMA user_version</c> records how many ran.</summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: nodes, their names (several per node for hard links), xattrs and present content ranges. Ids and cookies are
        // allocated by the journal's writer, so a create writes no sequence table; a directory's parent lives on its row,
        // so names need no index by child.
        """
        CREATE TABLE volume_meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
        CREATE TABLE nodes(
            id INTEGER PRIMARY KEY,
            parent INTEGER NOT NULL DEFAULT 0,
            kind INTEGER NOT NULL,
            size INTEGER NOT NULL DEFAULT 0,
            mode INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            gid INTEGER NOT NULL,
            rdev INTEGER NOT NULL DEFAULT 0,
            nlink INTEGER NOT NULL,
            atime INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            ctime INTEGER NOT NULL,
            btime INTEGER NOT NULL,
            win_attrs INTEGER NOT NULL DEFAULT 0,
            origin_version TEXT NOT NULL DEFAULT '',
            content_state INTEGER NOT NULL,
            cached_bytes INTEGER NOT NULL DEFAULT 0,
            dirty INTEGER NOT NULL DEFAULT 0,
            pinned INTEGER NOT NULL DEFAULT 0,
            last_access INTEGER NOT NULL,
            symlink_target TEXT
        );
        CREATE INDEX nodes_unlinked ON nodes(nlink) WHERE nlink = 0;
        CREATE TABLE entries(
            parent INTEGER NOT NULL,
            fold TEXT NOT NULL,
            name TEXT NOT NULL,
            child INTEGER NOT NULL,
            cookie INTEGER NOT NULL,
            PRIMARY KEY(parent, fold)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX entries_listing ON entries(parent, cookie);
        CREATE TABLE xattrs(node INTEGER NOT NULL, name TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY(node, name)) WITHOUT ROWID;
        CREATE TABLE ranges(node INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY(node, start)) WITHOUT ROWID;
        """,

        // 2: what the sync engine needs. A node's origin id (0 while the origin has not seen it); names by child, to spell
        // a node's path for the origin; and the outbox: every change the origin has not acknowledged, in the order of
        // effect, written in the same transaction as the change itself (AUTOINCREMENT: a sequence number is never reused).
        """
        ALTER TABLE nodes ADD COLUMN origin_id INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX nodes_origin ON nodes(origin_id) WHERE origin_id != 0;
        CREATE INDEX entries_child ON entries(child);
        CREATE TABLE outbox(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind INTEGER NOT NULL,
            node INTEGER NOT NULL,
            path TEXT NOT NULL,
            new_path TEXT,
            flags INTEGER NOT NULL DEFAULT 0,
            name TEXT
        );
        CREATE INDEX outbox_node ON outbox(node);
        """,

        // 3: reconciling. A queued removal remembers the content version it removes (the origin keeps a version changed
        // meanwhile, and the removal is dropped); every clash the replay settles is recorded for `cachefs conflicts`.
        """
        ALTER TABLE outbox ADD COLUMN base_version TEXT;
        CREATE TABLE conflicts(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL,
            kind INTEGER NOT NULL,
            kept_as TEXT,
            detail TEXT NOT NULL,
            at INTEGER NOT NULL,
            resolved INTEGER NOT NULL DEFAULT 0
        );
        """,

        // 4: ranged uploads. A dirty file's changes_base names the origin version its changes rows are relative to; the
        // rows cover (a superset of) every byte written or cut since, recorded before the bytes land. NULL: not known,
        // so the whole file goes up — as for every file already dirty when this migration runs. Rows may overlap.
        """
        ALTER TABLE nodes ADD COLUMN changes_base TEXT;
        CREATE TABLE changes(node INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY(node, start)) WITHOUT ROWID;
        """,

        // 5: a rename over a file names the file it replaces (target) and, in base_version, the content version of it
        // that was replaced, so a replay never replaces a version someone else wrote meanwhile.
        """
        ALTER TABLE outbox ADD COLUMN target INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the database to the latest version; refuses a database written by a newer CacheFs.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        var version = ReadVersion(connection);
        if (version > LatestVersion)
            throw new JournalException($"the journal has schema version {version}, newer than this CacheFs understands ({LatestVersion}); upgrade CacheFs");
        for (var next = version; next < LatestVersion; next++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    private static int ReadVersion(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
