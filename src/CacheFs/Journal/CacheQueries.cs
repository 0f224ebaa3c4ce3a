using CacheFs.Content;
using CacheFs.Eviction;
using CacheFs.Nodes;

namespace CacheFs.Journal;

/// <summary>The queries of cache administration (eviction, pinning, status, verify), kept apart from the core's own.</summary>
internal static class CacheQueries
{
    /// <summary>Every linked file's cache record, as last committed.</summary>
    public static List<CachedFile> ListCachedFiles(this JournalSession session)
    {
        using var cmd = session.Connection.CreateCommand();
        cmd.CommandText =
            "SELECT id, size, content_state, cached_bytes, dirty, pinned, last_access FROM nodes WHERE kind = $kind AND nlink > 0";
        cmd.Parameters.AddWithValue("$kind", (long)NodeKind.File);
        using var reader = cmd.ExecuteReader();
        var files = new List<CachedFile>();
        while (reader.Read())
        {
            files.Add(new CachedFile(
                reader.GetInt64(0),
                reader.GetInt64(1),
                (ContentState)reader.GetInt32(2),
                reader.GetInt64(3),
                reader.GetInt64(4) != 0,
                reader.GetInt64(5) != 0,
                new Timestamp(reader.GetInt64(6))));
        }

        return files;
    }

    /// <summary>The recorded present ranges of every partial file, for verify.</summary>
    public static Dictionary<long, RangeSet> ListPartialRanges(this JournalSession session)
    {
        using var cmd = session.Connection.CreateCommand();
        cmd.CommandText = "SELECT node, start, end FROM ranges ORDER BY node, start";
        using var reader = cmd.ExecuteReader();
        var ranges = new Dictionary<long, RangeSet>();
        while (reader.Read())
        {
            var node = reader.GetInt64(0);
            if (!ranges.TryGetValue(node, out var set))
                ranges[node] = set = new RangeSet();
            set.Add(reader.GetInt64(1), reader.GetInt64(2));
        }

        return ranges;
    }
}
