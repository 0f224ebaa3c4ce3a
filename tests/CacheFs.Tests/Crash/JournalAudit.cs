using System.Globalization;
using CacheFs.Nodes;
using Microsoft.Data.Sqlite;

namespace CacheFs.Tests.Crash;

/// <summary>
/// Reads a closed cache's journal directly (read-only) and holds it against the content objects on disk: no orphan
/// object, no row pointing at missing content, object lengths equal row sizes, and link counts that add up.
/// </summary>
internal static class JournalAudit
{
    public static void Run(string cacheDirectory)
    {
        var nodes = new Dictionary<long, (NodeKind Kind, long Size, ContentState State, long Links)>();
        var entries = new List<(long Parent, long Child)>();
        var attached = new List<(string Table, long Node)>();
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(cacheDirectory, "journal.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using (var db = new SqliteConnection(connection))
        {
            db.Open();
            foreach (var row in Query(db, "SELECT id, kind, size, content_state, nlink FROM nodes"))
                nodes[row[0]] = ((NodeKind)row[1], row[2], (ContentState)row[3], row[4]);
            foreach (var row in Query(db, "SELECT parent, child FROM entries"))
                entries.Add((row[0], row[1]));
            attached.AddRange(Query(db, "SELECT node FROM xattrs").Select(r => ("xattrs", r[0])));
            attached.AddRange(Query(db, "SELECT node FROM ranges").Select(r => ("ranges", r[0])));
        }

        var objects = CheckObjects(cacheDirectory, nodes);
        foreach (var (id, node) in nodes)
        {
            if (node.Kind == NodeKind.File && node.State != ContentState.Placeholder && node.Size > 0)
                objects.Should().Contain(id, $"file {id} has {node.Size} bytes of {node.State} content");
            node.Links.Should().BePositive($"recovery removes node {id} once its last name and handle are gone");
        }

        CheckNames(nodes, entries);
        foreach (var (table, node) in attached)
            nodes.Should().ContainKey(node, $"{table} rows belong to existing nodes");
    }

    /// <summary>Every object belongs to a file row with content, in its right folder, and is exactly as long as the row says.</summary>
    private static HashSet<long> CheckObjects(string cacheDirectory, Dictionary<long, (NodeKind Kind, long Size, ContentState State, long Links)> nodes)
    {
        var found = new HashSet<long>();
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(cacheDirectory, "objects")))
        {
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id).Should().BeTrue($"{path} is named by a node id");
                Path.GetFileName(folder).Should().Be((id & 0xff).ToString("x2", CultureInfo.InvariantCulture), $"{path} is in its id's folder");
                nodes.TryGetValue(id, out var node).Should().BeTrue($"object {path} is an orphan: no node {id}");
                node.Kind.Should().Be(NodeKind.File, $"object {path} belongs to node {id}");
                node.State.Should().NotBe(ContentState.Placeholder, $"object {path} belongs to placeholder node {id}");
                // A partial file's object may end at its last present byte; past the size there is never anything.
                var length = new FileInfo(path).Length;
                if (node.State == ContentState.Partial)
                    length.Should().BeLessThanOrEqualTo(node.Size, $"object {path} must not hold bytes past the size of node {id}");
                else
                    length.Should().Be(node.Size, $"object {path} must be as long as node {id} says after recovery");
                found.Add(id);
            }
        }

        return found;
    }

    /// <summary>Names point at nodes; a file has as many links as names; a folder has one name and 2 + subfolders links.</summary>
    private static void CheckNames(Dictionary<long, (NodeKind Kind, long Size, ContentState State, long Links)> nodes, List<(long Parent, long Child)> entries)
    {
        var names = entries.GroupBy(e => e.Child).ToDictionary(g => g.Key, g => g.Count());
        var subfolders = entries.Where(e => nodes.TryGetValue(e.Child, out var c) && c.Kind == NodeKind.Directory)
            .GroupBy(e => e.Parent).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (parent, child) in entries)
        {
            nodes.Should().ContainKey(child, $"an entry in folder {parent} names node {child}");
            nodes.TryGetValue(parent, out var folder).Should().BeTrue($"node {child} is named in folder {parent}");
            folder.Kind.Should().Be(NodeKind.Directory, $"node {child} is named in node {parent}");
        }

        foreach (var (id, node) in nodes)
        {
            var count = names.GetValueOrDefault(id);
            if (node.Kind == NodeKind.Directory)
            {
                count.Should().Be(id == NodeIds.Root ? 0 : 1, $"folder {id} has exactly one name");
                node.Links.Should().Be(2 + subfolders.GetValueOrDefault(id), $"folder {id} has 2 + subfolder links");
            }
            else
            {
                node.Links.Should().Be(count, $"node {id} has one link per name");
            }
        }
    }

    private static List<long[]> Query(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<long[]>();
        while (reader.Read())
        {
            var row = new long[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.GetInt64(i);
            rows.Add(row);
        }

        return rows;
    }
}
