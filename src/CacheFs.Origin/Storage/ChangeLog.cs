using System.Text.Json;
using CacheFs.Protocol;

namespace CacheFs.Origin.Storage;

/// <summary>The <c>changes</c> table: appended inside a <see cref="Mutation"/>, read by cursor for catch-up and events.</summary>
internal static class ChangeLog
{
    public static void Append(Catalog catalog, ChangeRecord record)
    {
        using var command = catalog.Command("INSERT INTO changes (cursor, kind, path, new_path, node_id, session, node) VALUES ($cursor, $kind, $path, $newPath, $nodeId, $session, $node)");
        var p = command.Parameters;
        p.AddWithValue("$cursor", record.Cursor);
        p.AddWithValue("$kind", (int)record.Kind);
        p.AddWithValue("$path", record.Path);
        p.AddWithValue("$newPath", (object?)record.NewPath ?? DBNull.Value);
        p.AddWithValue("$nodeId", record.NodeId);
        p.AddWithValue("$session", (object?)record.Session ?? DBNull.Value);
        p.AddWithValue("$node", record.Node is null ? DBNull.Value : JsonSerializer.Serialize(record.Node, ProtocolJson.Default.NodeInfo));
        command.ExecuteNonQuery();
    }

    /// <summary>At most <paramref name="limit"/> records after <paramref name="since"/>, oldest first.</summary>
    public static List<ChangeRecord> After(Catalog catalog, long since, int limit)
    {
        using var command = catalog.Command("SELECT cursor, kind, path, new_path, node_id, session, node FROM changes WHERE cursor > $since ORDER BY cursor LIMIT $limit");
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$limit", limit);
        using var r = command.ExecuteReader();
        var records = new List<ChangeRecord>();
        while (r.Read())
        {
            records.Add(new ChangeRecord
            {
                Cursor = r.GetInt64(0),
                Kind = (ChangeKind)r.GetInt32(1),
                Path = r.GetString(2),
                NewPath = r.IsDBNull(3) ? null : r.GetString(3),
                NodeId = r.GetInt64(4),
                Session = r.IsDBNull(5) ? null : r.GetString(5),
                Node = r.IsDBNull(6) ? null : JsonSerializer.Deserialize(r.GetString(6), ProtocolJson.Default.NodeInfo),
            });
        }

        return records;
    }
}
