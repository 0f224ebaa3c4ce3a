namespace CacheFs.Origin.Storage;

/// <summary>
/// The origin database. <c>nodes</c> is authoritative for everything but the bytes: ids, versions, mode, owner, times,
/// Windows attributes, symlink targets and device numbers; <c>on_disk</c> says the node also exists on the disk at each
/// of its names (regular files and directories always; symlinks and special files only when imported from the disk),
/// and the <c>fp_*</c> columns are the disk fingerprint that tells a file changed behind the origin's back.
/// <c>entries</c> maps every path to its node (hard links are several entries of one node; the root is the path '').
/// </summary>
internal static class Schema
{
    public const int Version = 1;

    public const string NodeColumns =
        "n.id, n.kind, n.version, n.content_version, n.size, n.mode, n.uid, n.gid, n.nlink, n.atime, n.mtime, n.ctime, n.btime, n.winattr, n.target, n.rdev, n.on_disk, n.fp_size, n.fp_mtime, n.fp_inode";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS nodes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind INTEGER NOT NULL,
            version INTEGER NOT NULL,
            content_version INTEGER NOT NULL,
            size INTEGER NOT NULL DEFAULT 0,
            mode INTEGER NOT NULL DEFAULT 0,
            uid INTEGER NOT NULL DEFAULT 0,
            gid INTEGER NOT NULL DEFAULT 0,
            nlink INTEGER NOT NULL DEFAULT 1,
            atime INTEGER NOT NULL DEFAULT 0,
            mtime INTEGER NOT NULL DEFAULT 0,
            ctime INTEGER NOT NULL DEFAULT 0,
            btime INTEGER NOT NULL DEFAULT 0,
            winattr INTEGER NOT NULL DEFAULT 0,
            target TEXT,
            rdev INTEGER NOT NULL DEFAULT 0,
            on_disk INTEGER NOT NULL,
            fp_size INTEGER NOT NULL DEFAULT 0,
            fp_mtime INTEGER NOT NULL DEFAULT 0,
            fp_inode INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS entries (
            path TEXT PRIMARY KEY,
            parent TEXT,
            name TEXT NOT NULL,
            node_id INTEGER NOT NULL REFERENCES nodes(id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS entries_parent ON entries (parent, name);
        CREATE INDEX IF NOT EXISTS entries_node ON entries (node_id);
        CREATE TABLE IF NOT EXISTS xattrs (
            node_id INTEGER NOT NULL REFERENCES nodes(id),
            name TEXT NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (node_id, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS changes (
            cursor INTEGER PRIMARY KEY,
            kind INTEGER NOT NULL,
            path TEXT NOT NULL,
            new_path TEXT,
            node_id INTEGER NOT NULL,
            session TEXT,
            node TEXT);
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 1), ('epoch', 0);
        """;
}
