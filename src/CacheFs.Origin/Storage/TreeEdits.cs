using CacheFs.Protocol;

namespace CacheFs.Origin.Storage;

/// <summary>The row edits every namespace change shares: a directory's entries changed, a name went away.</summary>
internal static class TreeEdits
{
    /// <summary>A directory gained or lost an entry: new version, mtime and ctime, and its link count for subdirectories.</summary>
    public static void TouchDirectory(Mutation m, string path, long cursor, int subdirectoryDelta = 0)
    {
        var directory = m.Catalog.Find(path) ?? throw new InvalidOperationException($"directory '{path}' vanished inside a change");
        m.Catalog.UpdateNode(directory with
        {
            Version = cursor,
            ModifyTimeNs = m.NowNs,
            ChangeTimeNs = m.NowNs,
            LinkCount = (uint)Math.Max(2, directory.LinkCount + subdirectoryDelta),
        });
    }

    /// <summary>Drops one name of a node (its last name drops the node) and records the removal.</summary>
    public static long RemoveName(Mutation m, string path, NodeRow node)
    {
        var cursor = m.Change(ChangeKind.Removed, path, node.Id);
        m.Catalog.DeleteEntry(path);
        if (node.IsDirectory || node.LinkCount <= 1)
            m.Catalog.DeleteNode(node.Id);
        else
            m.Catalog.UpdateNode(node with { LinkCount = node.LinkCount - 1, Version = cursor, ChangeTimeNs = m.NowNs });
        return cursor;
    }

    /// <summary>Removes a path and everything below it from the database, deepest first, each name with its record.</summary>
    public static void RemoveSubtree(Mutation m, string path)
    {
        foreach (var (below, _) in m.Catalog.Subtree(path))
        {
            if (m.Catalog.Find(below) is { } node)
                RemoveName(m, below, node);
        }
    }

    /// <summary>A new node row for what lstat found on the disk, stamped with <paramref name="cursor"/>.</summary>
    public static NodeRow FromDisk(DiskStat stat, long cursor, string? target) => new()
    {
        Kind = stat.Kind,
        Version = cursor,
        ContentVersion = cursor,
        Size = stat.Kind is RemoteKind.File or RemoteKind.Symlink ? stat.Size : 0,
        Mode = stat.Mode,
        Uid = stat.Uid,
        Gid = stat.Gid,
        LinkCount = stat.Kind == RemoteKind.Directory ? 2u : 1u,
        AccessTimeNs = stat.AccessTimeNs,
        ModifyTimeNs = stat.ModifyTimeNs,
        ChangeTimeNs = stat.ChangeTimeNs,
        BirthTimeNs = stat.BirthTimeNs,
        Target = target,
        DeviceNumber = stat.DeviceNumber,
        OnDisk = true,
        Fingerprint = stat.Kind == RemoteKind.File ? stat.Fingerprint : default,
    };
}
