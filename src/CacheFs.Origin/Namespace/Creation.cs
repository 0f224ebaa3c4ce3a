using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Namespace;

/// <summary>
/// mkdir, mknod and link. Directories and regular files are made on the disk too; symlinks and special files live in
/// the database only, so the origin never creates a link it could be tricked into following, and a Windows origin
/// keeps what its disk cannot. A hard link is a real link on the disk, or refused where the disk has none.
/// </summary>
internal sealed class Creation(OriginTree tree)
{
    private const int MaxTargetBytes = 4096;

    public Task<(NodeInfo Node, long Cursor)> MakeDirectoryAsync(MakeDirectoryRequest request, string? session)
    {
        var path = tree.Paths.Check(request.Path);
        return tree.ChangeAsync(session, (m, _) =>
        {
            OriginTree.ParentOf(m.Catalog, path);
            NewNodes.CheckFree(m.Catalog, tree.Disk, path);
            var cursor = m.Change(ChangeKind.Created, path, 0);
            var node = NewNodes.Insert(m, path, NewNodes.Row(RemoteKind.Directory, request.Attributes, cursor, m.NowNs, onDisk: true));
            tree.Disk.CreateDirectory(path);
            tree.Disk.SyncDirectory(OriginPath.Parent(path));
            return node;
        });
    }

    public Task<(NodeInfo Node, long Cursor)> MakeNodeAsync(MakeNodeRequest request, string? session)
    {
        var path = tree.Paths.Check(request.Path);
        CheckKind(request);
        return tree.ChangeAsync(session, (m, _) =>
        {
            OriginTree.ParentOf(m.Catalog, path);
            NewNodes.CheckFree(m.Catalog, tree.Disk, path);
            var cursor = m.Change(ChangeKind.Created, path, 0);
            var onDisk = request.Kind == RemoteKind.File;
            var row = NewNodes.Row(request.Kind, request.Attributes, cursor, m.NowNs, onDisk) with
            {
                Target = request.Kind == RemoteKind.Symlink ? request.Target : null,
                Size = request.Kind == RemoteKind.Symlink ? System.Text.Encoding.UTF8.GetByteCount(request.Target!) : 0,
                DeviceNumber = request.Kind is RemoteKind.CharDevice or RemoteKind.BlockDevice ? request.DeviceNumber : 0,
            };
            var node = NewNodes.Insert(m, path, row);
            if (onDisk)
            {
                tree.Disk.CreateEmptyFile(path);
                tree.Disk.SyncDirectory(OriginPath.Parent(path));
                if (tree.Disk.StatPath(path) is { } stat)
                    m.Catalog.UpdateNode(m.Catalog.Node(node.Id)! with { Fingerprint = stat.Fingerprint });
            }

            return node;
        });
    }

    public Task<(NodeInfo Node, long Cursor)> LinkAsync(LinkRequest request, string? session)
    {
        var existing = tree.Paths.Check(request.ExistingPath, "existing path");
        var path = tree.Paths.Check(request.NewPath, "new path");
        return tree.ChangeAsync(session, (m, _) =>
        {
            var node = OriginTree.Existing(m.Catalog, existing);
            if (node.IsDirectory)
                throw new OriginException(ErrorCode.IsDirectory, $"'{existing}' is a directory; directories cannot be hard-linked");
            OriginTree.ParentOf(m.Catalog, path);
            NewNodes.CheckFree(m.Catalog, tree.Disk, path);
            var cursor = m.Change(ChangeKind.Created, path, node.Id);
            m.Catalog.InsertEntry(path, node.Id);
            m.Catalog.UpdateNode(node with { LinkCount = node.LinkCount + 1, Version = cursor, ChangeTimeNs = m.NowNs });
            TreeEdits.TouchDirectory(m, OriginPath.Parent(path), cursor);
            if (node.OnDisk)
            {
                if (!tree.Disk.TryLink(existing, path))
                    throw new OriginException(ErrorCode.NotSupported, "The origin's disk does not support hard links here");
                tree.Disk.SyncDirectory(OriginPath.Parent(path));
            }

            return m.Catalog.Info(m.Catalog.Node(node.Id)!, path);
        });
    }

    private static void CheckKind(MakeNodeRequest request)
    {
        if (!Enum.IsDefined(request.Kind) || request.Kind == RemoteKind.Directory)
            throw OriginException.Invalid("mknod makes files, symlinks, FIFOs, sockets and devices; use mkdir for a directory");
        if (request.Kind != RemoteKind.Symlink)
            return;
        if (string.IsNullOrEmpty(request.Target) || request.Target.Contains('\0', StringComparison.Ordinal)
            || System.Text.Encoding.UTF8.GetByteCount(request.Target) > MaxTargetBytes)
            throw OriginException.Invalid($"A symlink needs a target of 1 to {MaxTargetBytes} bytes without NUL");
    }
}
