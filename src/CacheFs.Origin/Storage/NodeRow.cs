using CacheFs.Protocol;
using Microsoft.Data.Sqlite;

namespace CacheFs.Origin.Storage;

/// <summary>One row of <c>nodes</c>: a node as the origin keeps it.</summary>
internal sealed record NodeRow
{
    public long Id { get; init; }
    public required RemoteKind Kind { get; init; }
    public long Version { get; init; }
    public long ContentVersion { get; init; }
    public long Size { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint LinkCount { get; init; } = 1;
    public long AccessTimeNs { get; init; }
    public long ModifyTimeNs { get; init; }
    public long ChangeTimeNs { get; init; }
    public long BirthTimeNs { get; init; }
    public uint WindowsAttributes { get; init; }
    public string? Target { get; init; }
    public ulong DeviceNumber { get; init; }
    public required bool OnDisk { get; init; }
    public Fingerprint Fingerprint { get; init; }

    public bool IsDirectory => Kind == RemoteKind.Directory;

    public NodeInfo ToInfo(string name, IReadOnlyDictionary<string, byte[]>? xattrs) => new()
    {
        Id = Id,
        Name = name,
        Kind = Kind,
        Version = Version,
        ContentVersion = ContentVersion,
        Size = Size,
        Mode = Mode,
        Uid = Uid,
        Gid = Gid,
        LinkCount = LinkCount,
        AccessTimeNs = AccessTimeNs,
        ModifyTimeNs = ModifyTimeNs,
        ChangeTimeNs = ChangeTimeNs,
        BirthTimeNs = BirthTimeNs,
        WindowsAttributes = WindowsAttributes,
        Target = Target,
        DeviceNumber = DeviceNumber,
        Xattrs = xattrs is { Count: > 0 } ? xattrs : null,
    };

    /// <summary>Reads the columns of <see cref="Schema.NodeColumns"/> starting at <paramref name="at"/>.</summary>
    public static NodeRow Read(SqliteDataReader r, int at = 0) => new()
    {
        Id = r.GetInt64(at),
        Kind = (RemoteKind)r.GetInt32(at + 1),
        Version = r.GetInt64(at + 2),
        ContentVersion = r.GetInt64(at + 3),
        Size = r.GetInt64(at + 4),
        Mode = (uint)r.GetInt64(at + 5),
        Uid = (uint)r.GetInt64(at + 6),
        Gid = (uint)r.GetInt64(at + 7),
        LinkCount = (uint)r.GetInt64(at + 8),
        AccessTimeNs = r.GetInt64(at + 9),
        ModifyTimeNs = r.GetInt64(at + 10),
        ChangeTimeNs = r.GetInt64(at + 11),
        BirthTimeNs = r.GetInt64(at + 12),
        WindowsAttributes = (uint)r.GetInt64(at + 13),
        Target = r.IsDBNull(at + 14) ? null : r.GetString(at + 14),
        DeviceNumber = (ulong)r.GetInt64(at + 15),
        OnDisk = r.GetInt64(at + 16) != 0,
        Fingerprint = new Fingerprint(r.GetInt64(at + 17), r.GetInt64(at + 18), r.GetInt64(at + 19)),
    };

    public void Bind(SqliteCommand command)
    {
        var p = command.Parameters;
        p.AddWithValue("$kind", (int)Kind);
        p.AddWithValue("$version", Version);
        p.AddWithValue("$cv", ContentVersion);
        p.AddWithValue("$size", Size);
        p.AddWithValue("$mode", (long)Mode);
        p.AddWithValue("$uid", (long)Uid);
        p.AddWithValue("$gid", (long)Gid);
        p.AddWithValue("$nlink", (long)LinkCount);
        p.AddWithValue("$atime", AccessTimeNs);
        p.AddWithValue("$mtime", ModifyTimeNs);
        p.AddWithValue("$ctime", ChangeTimeNs);
        p.AddWithValue("$btime", BirthTimeNs);
        p.AddWithValue("$winattr", (long)WindowsAttributes);
        p.AddWithValue("$target", (object?)Target ?? DBNull.Value);
        p.AddWithValue("$rdev", unchecked((long)DeviceNumber));
        p.AddWithValue("$ondisk", OnDisk ? 1 : 0);
        p.AddWithValue("$fpsize", Fingerprint.Size);
        p.AddWithValue("$fpmtime", Fingerprint.ModifyTimeNs);
        p.AddWithValue("$fpinode", Fingerprint.Inode);
    }
}
