using CacheFs.Protocol;
using Microsoft.Data.Sqlite;

namespace CacheFs.Origin.Storage;

/// <summary>
/// Queries and statements over the origin database, on one connection and (for a consistent read or a change) one
/// transaction. It decides nothing: the namespace, content and import code decide, then call these primitives.
/// </summary>
internal sealed class Catalog(SqliteConnection connection, SqliteTransaction? transaction)
{
    private const string NodeUpdate = """
        kind=$kind, version=$version, content_version=$cv, size=$size, mode=$mode, uid=$uid, gid=$gid, nlink=$nlink,
        atime=$atime, mtime=$mtime, ctime=$ctime, btime=$btime, winattr=$winattr, target=$target, rdev=$rdev,
        on_disk=$ondisk, fp_size=$fpsize, fp_mtime=$fpmtime, fp_inode=$fpinode
        """;

    public SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public NodeRow? Find(string path)
    {
        using var command = Command($"SELECT {Schema.NodeColumns} FROM entries e JOIN nodes n ON n.id = e.node_id WHERE e.path = $path");
        command.Parameters.AddWithValue("$path", path);
        using var reader = command.ExecuteReader();
        return reader.Read() ? NodeRow.Read(reader) : null;
    }

    public NodeRow? Node(long id)
    {
        using var command = Command($"SELECT {Schema.NodeColumns} FROM nodes n WHERE n.id = $id");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? NodeRow.Read(reader) : null;
    }

    /// <summary>The entries of a directory, by name (ordinal).</summary>
    public List<(string Name, NodeRow Node)> Children(string path)
    {
        using var command = Command($"SELECT e.name, {Schema.NodeColumns} FROM entries e JOIN nodes n ON n.id = e.node_id WHERE e.parent = $path ORDER BY e.name");
        command.Parameters.AddWithValue("$path", path);
        using var reader = command.ExecuteReader();
        var children = new List<(string, NodeRow)>();
        while (reader.Read())
            children.Add((reader.GetString(0), NodeRow.Read(reader, 1)));
        return children;
    }

    public bool HasChildren(string path)
    {
        using var command = Command("SELECT EXISTS (SELECT 1 FROM entries WHERE parent = $path)");
        command.Parameters.AddWithValue("$path", path);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>Every path at or below <paramref name="path"/>, deepest first.</summary>
    public List<(string Path, long NodeId)> Subtree(string path)
    {
        using var command = Command("SELECT path, node_id FROM entries WHERE path = $path OR substr(path, 1, length($path) + 1) = $path || '/' ORDER BY length(path) DESC");
        command.Parameters.AddWithValue("$path", path);
        using var reader = command.ExecuteReader();
        var paths = new List<(string, long)>();
        while (reader.Read())
            paths.Add((reader.GetString(0), reader.GetInt64(1)));
        return paths;
    }

    public List<string> NamesOf(long id)
    {
        using var command = Command("SELECT path FROM entries WHERE node_id = $id ORDER BY path");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    public Dictionary<string, byte[]>? Xattrs(long id)
    {
        using var command = Command("SELECT name, value FROM xattrs WHERE node_id = $id ORDER BY name");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Dictionary<string, byte[]>? xattrs = null;
        while (reader.Read())
            (xattrs ??= new(StringComparer.Ordinal))[reader.GetString(0)] = (byte[])reader.GetValue(1);
        return xattrs;
    }

    /// <summary>The extended attributes of every entry of a directory, by node id.</summary>
    public Dictionary<long, Dictionary<string, byte[]>> XattrsOfChildren(string path)
    {
        using var command = Command("SELECT x.node_id, x.name, x.value FROM xattrs x JOIN entries e ON e.node_id = x.node_id WHERE e.parent = $path");
        command.Parameters.AddWithValue("$path", path);
        using var reader = command.ExecuteReader();
        var all = new Dictionary<long, Dictionary<string, byte[]>>();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if (!all.TryGetValue(id, out var xattrs))
                all[id] = xattrs = new(StringComparer.Ordinal);
            xattrs[reader.GetString(1)] = (byte[])reader.GetValue(2);
        }

        return all;
    }

    public NodeInfo Info(NodeRow node, string path) => node.ToInfo(OriginPath.Name(path), Xattrs(node.Id));

    public long InsertNode(NodeRow node)
    {
        using var command = Command("""
            INSERT INTO nodes (kind, version, content_version, size, mode, uid, gid, nlink, atime, mtime, ctime, btime, winattr, target, rdev, on_disk, fp_size, fp_mtime, fp_inode)
            VALUES ($kind, $version, $cv, $size, $mode, $uid, $gid, $nlink, $atime, $mtime, $ctime, $btime, $winattr, $target, $rdev, $ondisk, $fpsize, $fpmtime, $fpinode)
            RETURNING id
            """);
        node.Bind(command);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void UpdateNode(NodeRow node)
    {
        using var command = Command($"UPDATE nodes SET {NodeUpdate} WHERE id = $id");
        node.Bind(command);
        command.Parameters.AddWithValue("$id", node.Id);
        command.ExecuteNonQuery();
    }

    public void DeleteNode(long id)
    {
        using var command = Command("DELETE FROM xattrs WHERE node_id = $id; DELETE FROM nodes WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public void InsertEntry(string path, long nodeId)
    {
        using var command = Command("INSERT INTO entries (path, parent, name, node_id) VALUES ($path, $parent, $name, $id)");
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$parent", path.Length == 0 ? DBNull.Value : OriginPath.Parent(path));
        command.Parameters.AddWithValue("$name", OriginPath.Name(path));
        command.Parameters.AddWithValue("$id", nodeId);
        command.ExecuteNonQuery();
    }

    public void DeleteEntry(string path)
    {
        using var command = Command("DELETE FROM entries WHERE path = $path");
        command.Parameters.AddWithValue("$path", path);
        command.ExecuteNonQuery();
    }

    /// <summary>Moves one entry and, for a directory, every path below it.</summary>
    public void MoveEntries(string from, string to)
    {
        using var command = Command("""
            UPDATE entries SET path = $to, parent = $toParent, name = $toName WHERE path = $from;
            UPDATE entries SET path = $to || substr(path, length($from) + 1), parent = $to || substr(parent, length($from) + 1)
                WHERE substr(path, 1, length($from) + 1) = $from || '/';
            """);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$toParent", OriginPath.Parent(to));
        command.Parameters.AddWithValue("$toName", OriginPath.Name(to));
        command.ExecuteNonQuery();
    }

    public void SetXattr(long id, string name, byte[] value)
    {
        using var command = Command("INSERT INTO xattrs (node_id, name, value) VALUES ($id, $name, $value) ON CONFLICT (node_id, name) DO UPDATE SET value = excluded.value");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    public bool RemoveXattr(long id, string name)
    {
        using var command = Command("DELETE FROM xattrs WHERE node_id = $id AND name = $name");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery() > 0;
    }

    public long Head()
    {
        using var command = Command("SELECT COALESCE(MAX(cursor), 0) FROM changes");
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
