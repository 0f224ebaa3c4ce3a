using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Namespace;

/// <summary>unlink and rmdir. A file another session holds a write lease on is not removed (409, naming the holder).</summary>
internal sealed class Removal(OriginTree tree, LeaseService leases)
{
    /// <summary>Answers with the node as the removal left it (its link count tells whether other names remain).</summary>
    public Task<(NodeInfo Node, long Cursor)> RemoveAsync(RemoveRequest request, string? session)
    {
        var path = tree.Paths.Check(request.Path);
        if (path.Length == 0)
            throw OriginException.Invalid("The root cannot be removed");
        return tree.ChangeAsync(session, (m, s) =>
        {
            var node = OriginTree.Existing(m.Catalog, path);
            if (request.ExpectedVersion is { } expected && expected != node.Version)
                throw new OriginException(ErrorCode.VersionMismatch, $"'{path}' is at version {node.Version}, not {expected}") { CurrentVersion = node.Version };
            if (request.ExpectedContentVersion is { } content && !node.IsDirectory && content != node.ContentVersion)
                throw new OriginException(ErrorCode.VersionMismatch, $"'{path}' changed since (content version {node.ContentVersion}, not {content})") { CurrentVersion = node.Version };
            if (request.Directory && !node.IsDirectory)
                throw new OriginException(ErrorCode.NotDirectory, $"'{path}' is not a directory");
            if (!request.Directory && node.IsDirectory)
                throw new OriginException(ErrorCode.IsDirectory, $"'{path}' is a directory");
            if (node.IsDirectory && m.Catalog.HasChildren(path))
                throw new OriginException(ErrorCode.NotEmpty, $"'{path}' is not empty");
            leases.CheckNotLeasedByOthersLocked(node, path, s);

            var before = m.Catalog.Info(node, path);
            var cursor = TreeEdits.RemoveName(m, path, node);
            var gone = m.Catalog.Node(node.Id) is null;
            if (gone)
                leases.DropNodeLocked(node.Id);
            TreeEdits.TouchDirectory(m, OriginPath.Parent(path), cursor, node.IsDirectory ? -1 : 0);
            if (node.OnDisk)
            {
                tree.Disk.Remove(path, node.IsDirectory);
                tree.Disk.SyncDirectory(OriginPath.Parent(path));
            }

            return before with { Version = cursor, LinkCount = gone ? 0 : node.LinkCount - 1, ChangeTimeNs = m.NowNs };
        });
    }
}
