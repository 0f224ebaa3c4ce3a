using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Namespace;

/// <summary>The row a created node starts with: the requested owner, mode and times, "now" for the rest.</summary>
internal static class NewNodes
{
    /// <summary>Permission, set-id and sticky bits; the node's type is its kind.</summary>
    public const uint ModeBits = 0xFFF;

    public static NodeRow Row(RemoteKind kind, NewNodeAttributes? attributes, long cursor, long nowNs, bool onDisk)
    {
        var a = attributes ?? throw OriginException.BadRequest("The new node's attributes are required");
        return new NodeRow
        {
            Kind = kind,
            Version = cursor,
            ContentVersion = cursor,
            Mode = a.Mode & ModeBits,
            Uid = a.Uid,
            Gid = a.Gid,
            LinkCount = kind == RemoteKind.Directory ? 2u : 1u,
            AccessTimeNs = nowNs,
            ModifyTimeNs = a.ModifyTimeNs ?? nowNs,
            ChangeTimeNs = nowNs,
            BirthTimeNs = nowNs,
            WindowsAttributes = a.WindowsAttributes,
            OnDisk = onDisk,
        };
    }

    /// <summary>Refuses a name in use, reporting the version of what is there.</summary>
    public static void CheckFree(Catalog catalog, Disk disk, string path)
    {
        if (catalog.Find(path) is { } existing)
            throw new OriginException(ErrorCode.Exists, $"'{path}' exists") { CurrentVersion = existing.Version };
        if (disk.StatPath(path) is not null)
            throw new OriginException(ErrorCode.Exists, $"'{path}' exists on the origin's disk (made behind the origin's back; it is served after a restart)");
    }

    public static NodeInfo Insert(Mutation m, string path, NodeRow row)
    {
        var cursor = row.Version;
        var id = m.Catalog.InsertNode(row);
        m.Catalog.InsertEntry(path, id);
        m.SetNodeId(cursor, id);
        TreeEdits.TouchDirectory(m, OriginPath.Parent(path), cursor, row.IsDirectory ? 1 : 0);
        return m.Catalog.Info(m.Catalog.Node(id)!, path);
    }
}
