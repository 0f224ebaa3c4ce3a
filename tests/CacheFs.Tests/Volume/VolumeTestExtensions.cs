using System.Globalization;
using CacheFs.Content;
using CacheFs.Nodes;
using CacheFs.Volume;
using Microsoft.Data.Sqlite;

namespace CacheFs.Tests.Volume;

/// <summary>Short, asserting forms of the volume calls the unit tests of the core repeat.</summary>
internal static class VolumeTestExtensions
{
    /// <summary>A fixed point well in the past: tests set times to it, then see whether an operation moves them.</summary>
    public static readonly Timestamp Past = Timestamp.FromUnix(978_307_200, 123_456_789); // 2001-01-01T00:00:00.123456789Z

    public static NodeAttributes Attr(this CacheVolume volume, long id)
    {
        var got = volume.GetAttributes(id);
        got.Status.Should().Be(FsStatus.Ok, "node {0} should exist", id);
        return got.Value;
    }

    public static NodeAttributes At(this CacheVolume volume, string path)
    {
        var got = volume.Resolve(path);
        got.Status.Should().Be(FsStatus.Ok, "{0} should resolve", path);
        return got.Value;
    }

    public static ulong OpenHandle(this CacheVolume volume, long id, OpenFlags flags = OpenFlags.ReadWrite)
    {
        var opened = volume.Open(id, flags);
        opened.Status.Should().Be(FsStatus.Ok);
        return opened.Value.Handle;
    }

    /// <summary>Creates a new file and keeps it open.</summary>
    public static (long Id, ulong Handle) CreateOpen(this TestVolume t, string name, long parent = NodeIds.Root, OpenFlags flags = OpenFlags.ReadWrite)
    {
        var created = t.Volume.Create(parent, name, TestVolume.Owner, flags, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        created.Value.Created.Should().BeTrue();
        return (created.Value.Attributes.Id, created.Value.Handle);
    }

    /// <summary>Creates a file (with <paramref name="content"/>) and closes it.</summary>
    public static long MakeFile(this CacheVolume volume, string name, byte[]? content = null, long parent = NodeIds.Root)
    {
        var created = volume.Create(parent, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        if (content is not null)
            volume.Write(created.Value.Handle, 0, content).Status.Should().Be(FsStatus.Ok);
        volume.Release(created.Value.Handle).Should().Be(FsStatus.Ok);
        return created.Value.Attributes.Id;
    }

    public static long MakeDir(this CacheVolume volume, string name, long parent = NodeIds.Root)
    {
        var made = volume.MakeDirectory(parent, name, TestVolume.DirOwner);
        made.Status.Should().Be(FsStatus.Ok);
        return made.Value.Id;
    }

    public static byte[] ReadAll(this CacheVolume volume, long id)
    {
        var open = volume.Open(id, OpenFlags.Read);
        open.Status.Should().Be(FsStatus.Ok);
        try
        {
            var buffer = new byte[open.Value.Attributes.Size];
            var read = volume.Read(open.Value.Handle, 0, buffer);
            read.Status.Should().Be(FsStatus.Ok);
            return buffer[..read.Value];
        }
        finally
        {
            volume.Release(open.Value.Handle);
        }
    }

    public static IReadOnlyList<string> List(this CacheVolume volume, long directory = NodeIds.Root)
    {
        var names = new List<string>();
        long cookie = 0;
        while (true)
        {
            var page = volume.ReadDirectory(directory, cookie, 100);
            page.Status.Should().Be(FsStatus.Ok);
            if (page.Value.Count == 0)
                return names;
            names.AddRange(page.Value.Select(e => e.Name));
            cookie = page.Value[^1].Cookie;
        }
    }

    public static WriteResult WriteAt(this CacheVolume volume, ulong handle, long offset, byte[] data)
    {
        var written = volume.Write(handle, offset, data);
        written.Status.Should().Be(FsStatus.Ok);
        written.Value.Written.Should().Be(data.Length);
        return written.Value;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes; the result is as long as what the volume returned.</summary>
    public static byte[] ReadAt(this CacheVolume volume, ulong handle, long offset, int count)
    {
        var buffer = new byte[count];
        var read = volume.Read(handle, offset, buffer);
        read.Status.Should().Be(FsStatus.Ok);
        return buffer[..read.Value];
    }

    public static void Ok(this FsStatus status) => status.Should().Be(FsStatus.Ok);

    /// <summary>Sets atime, mtime and ctime of a node to <see cref="Past"/>, so a later change of any of them shows.</summary>
    public static void Backdate(this CacheVolume volume, long id) =>
        volume.SetAttributes(id, new AttributeChanges { AccessTime = Past, ModifyTime = Past, ChangeTime = Past })
            .Status.Should().Be(FsStatus.Ok);

    public static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string ObjectPath(this TestVolume t, long id) => new ContentStore(t.Directory).PathOf(id);

    public static string ObjectsDirectory(this TestVolume t) => Path.Combine(t.Directory, "objects");

    /// <summary>Every content object file under objects/, by name.</summary>
    public static IReadOnlyList<string> ObjectFiles(this TestVolume t) =>
        Directory.Exists(t.ObjectsDirectory())
            ? Directory.EnumerateFiles(t.ObjectsDirectory(), "*", SearchOption.AllDirectories).Select(Path.GetFileName).Select(n => n!).ToList()
            : [];

    /// <summary>One value straight from the journal (read-only, beside the open volume: WAL allows it).</summary>
    public static object? JournalScalar(this TestVolume t, string sql, long id)
    {
        using var connection = OpenJournal(t, SqliteOpenMode.ReadOnly);
        using var command = JournalCommand(connection, sql, id);
        return command.ExecuteScalar();
    }

    public static long JournalLong(this TestVolume t, string sql, long id) =>
        Convert.ToInt64(t.JournalScalar(sql, id), CultureInfo.InvariantCulture);

    /// <summary>Changes the journal while the volume is closed, as a crash or another version might have left it.</summary>
    public static void JournalExecute(this TestVolume t, string sql, long id)
    {
        using var connection = OpenJournal(t, SqliteOpenMode.ReadWrite);
        using var command = JournalCommand(connection, sql, id);
        command.ExecuteNonQuery();
    }

    private static SqliteConnection OpenJournal(TestVolume t, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(t.Directory, "journal.db"),
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand JournalCommand(SqliteConnection connection, string sql, long id)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return command;
    }
}
