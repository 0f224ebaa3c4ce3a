using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CacheFs.Origin.Tests;

/// <summary>
/// What "unchanged" means for the origin: every path of the served tree with its kind, size and SHA-256 (the state
/// directory aside), every row of every database table, and the uploads folder's temp files.
/// </summary>
public static class Snapshot
{
    public static string Of(TestOrigin origin) => Tree(origin) + "\n---\n" + Database(origin.DatabaseFile) + "\n---\n" + Uploads(origin);

    public static string Tree(TestOrigin origin)
    {
        var lines = new List<string>();
        foreach (var entry in new DirectoryInfo(origin.Root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(origin.Root, entry.FullName);
            if (relative.StartsWith(".cachefs-origin", StringComparison.Ordinal))
                continue;
            lines.Add(entry switch
            {
                _ when entry.LinkTarget is not null => $"{relative} -> {entry.LinkTarget}",
                DirectoryInfo => $"{relative}/",
                FileInfo file => $"{relative} {file.Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)))}",
                _ => relative,
            });
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    public static string Database(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var text = new StringBuilder();
        foreach (var table in new[] { "meta", "nodes", "entries", "xattrs", "changes" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY 1, 2";
            using var reader = command.ExecuteReader();
            text.Append(table).Append('\n');
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    text.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i).ToString()).Append('|');
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Uploads(TestOrigin origin) => string.Join('\n', Directory.EnumerateFiles(Path.Join(origin.StateDirectory, "uploads")));
}
