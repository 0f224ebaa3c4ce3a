using CacheFs.Protocol;
using Serilog;

namespace CacheFs.Origin.Storage;

/// <summary>
/// Brings the database in line with the disk at start: files and directories that appeared behind the origin's back
/// are imported (hard links found by inode become one node), files whose fingerprint (size, mtime, inode) changed get a
/// new content version, and names the disk lost are removed. Every such change is a record in the change log, so
/// clients learn of it like of any other. Nothing on the disk is changed.
/// </summary>
internal sealed class TreeImport(Mutation m, Disk disk, PathPolicy policy, ILogger log)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal) { OriginPath.Root };
    private readonly Dictionary<long, long> _nodeByInode = [];
    private int _imported;
    private int _changed;
    private int _removed;

    public static void Run(OriginDatabase database, Disk disk, PathPolicy policy, long nowNs, ILogger log)
    {
        using var m = new Mutation(database, nowNs, session: null);
        var import = new TreeImport(m, disk, policy, log);
        import.Scan();
        m.Commit();
        log.Information("Origin tree at {Root}: {Imported} names imported, {Changed} files changed behind the origin's back, {Removed} names gone", disk.Root, import._imported, import._changed, import._removed);
    }

    private void Scan()
    {
        if (m.Catalog.Find(OriginPath.Root) is null)
        {
            var cursor = m.Change(ChangeKind.Created, OriginPath.Root, 0);
            var id = m.Catalog.InsertNode(TreeEdits.FromDisk(Disk.Stat(disk.Root)!, cursor, null));
            m.Catalog.InsertEntry(OriginPath.Root, id);
        }

        using (var known = m.Catalog.Command("SELECT id, fp_inode FROM nodes WHERE on_disk = 1 AND kind = 1 AND fp_inode != 0"))
        using (var reader = known.ExecuteReader())
        {
            while (reader.Read())
                _nodeByInode[reader.GetInt64(1)] = reader.GetInt64(0);
        }

        Walk(OriginPath.Root);
        RemoveVanished();
    }

    private void Walk(string directory)
    {
        IEnumerable<string> names;
        try
        {
            names = [.. Directory.EnumerateFileSystemEntries(disk.FullPath(directory)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Cannot read the directory {Path} on the origin's disk: {Message}", directory, e.Message);
            return;
        }

        foreach (var name in names)
        {
            var path = OriginPath.Join(directory, name);
            if (policy.IsReserved(path))
                continue;
            if (OriginPath.ValidateName(name, OperatingSystem.IsWindows()) is { } problem)
            {
                log.Warning("Not serving {Path}: {Problem}", path, problem);
                continue;
            }

            if (Disk.Stat(disk.FullPath(path)) is not { } stat)
                continue;
            _seen.Add(path);
            Visit(path, stat);
            if (stat.Kind == RemoteKind.Directory)
                Walk(path);
        }
    }

    private void Visit(string path, DiskStat stat)
    {
        var known = m.Catalog.Find(path);
        if (known is { OnDisk: true } && known.Kind == stat.Kind)
        {
            if (known.Kind == RemoteKind.File && known.Fingerprint != stat.Fingerprint)
            {
                var cursor = m.Change(ChangeKind.ContentChanged, path, known.Id);
                m.Catalog.UpdateNode(known with { Version = cursor, ContentVersion = cursor, Size = stat.Size, ModifyTimeNs = stat.ModifyTimeNs, ChangeTimeNs = m.NowNs, Fingerprint = stat.Fingerprint });
                _changed++;
            }

            return;
        }

        if (known is not null)
        {
            TreeEdits.RemoveSubtree(m, path);
            TreeEdits.TouchDirectory(m, OriginPath.Parent(path), m.Cursor, known.IsDirectory ? -1 : 0);
        }

        Import(path, stat);
    }

    private void Import(string path, DiskStat stat)
    {
        _imported++;
        var parent = OriginPath.Parent(path);
        if (stat.Kind == RemoteKind.File && stat.Inode != 0 && _nodeByInode.TryGetValue((long)stat.Inode, out var linked)
            && StillHasTheInode(linked, stat.Inode) && m.Catalog.Node(linked) is { } node)
        {
            var linkCursor = m.Change(ChangeKind.Created, path, node.Id);
            m.Catalog.InsertEntry(path, node.Id);
            m.Catalog.UpdateNode(node with { LinkCount = node.LinkCount + 1, Version = linkCursor });
            TreeEdits.TouchDirectory(m, parent, linkCursor);
            return;
        }

        var cursor = m.Change(ChangeKind.Created, path, 0);
        var target = stat.Kind == RemoteKind.Symlink ? new FileInfo(disk.FullPath(path)).LinkTarget : null;
        var id = m.Catalog.InsertNode(TreeEdits.FromDisk(stat, cursor, target));
        m.Catalog.InsertEntry(path, id);
        m.SetNodeId(cursor, id);
        if (stat.Kind == RemoteKind.File && stat.Inode != 0)
            _nodeByInode[(long)stat.Inode] = id;
        TreeEdits.TouchDirectory(m, parent, cursor, stat.Kind == RemoteKind.Directory ? 1 : 0);
    }

    /// <summary>
    /// A known node is a hard link of a new name only if one of its own names still has that inode on the disk: a file
    /// deleted behind the origin's back frees its inode number, and the file system soon gives it to a new file.
    /// </summary>
    private bool StillHasTheInode(long id, ulong inode) =>
        m.Catalog.NamesOf(id).Any(path => Disk.Stat(disk.FullPath(path)) is { Kind: RemoteKind.File } stat && stat.Inode == inode);

    private void RemoveVanished()
    {
        var vanished = new List<string>();
        using (var command = m.Catalog.Command("SELECT e.path FROM entries e JOIN nodes n ON n.id = e.node_id WHERE n.on_disk = 1 AND e.path != ''"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var path = reader.GetString(0);
                if (!_seen.Contains(path))
                    vanished.Add(path);
            }
        }

        foreach (var path in vanished.OrderBy(p => p.Length))
        {
            if (m.Catalog.Find(path) is not { } node)
                continue;
            var before = m.Cursor;
            TreeEdits.RemoveSubtree(m, path);
            TreeEdits.TouchDirectory(m, OriginPath.Parent(path), m.Cursor, node.IsDirectory ? -1 : 0);
            _removed += (int)(m.Cursor - before);
        }
    }
}
