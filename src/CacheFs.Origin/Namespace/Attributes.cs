using System.Text;
using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Namespace;

/// <summary>
/// setattr and the extended attributes, kept in the database (authoritative there, so any client OS round-trips them).
/// A size change truncates or extends the file on the disk and is a content change, fenced like an upload.
/// </summary>
internal sealed class Attributes(OriginTree tree, LeaseService leases)
{
    /// <summary>Linux's XATTR_SIZE_MAX.</summary>
    private const int MaxXattrValue = 64 * 1024;

    public Task<(NodeInfo Node, long Cursor)> SetAsync(SetAttributesRequest request, string? session, long? epoch)
    {
        var path = tree.Paths.Check(request.Path);
        if (request.Size < 0)
            throw OriginException.Invalid("A size must not be negative");
        return tree.ChangeAsync(session, (m, s) =>
        {
            var node = OriginTree.Existing(m.Catalog, path);
            if (request.ExpectedVersion is { } expected && expected != node.Version)
                throw new OriginException(ErrorCode.VersionMismatch, $"'{path}' is at version {node.Version}, not {expected}") { CurrentVersion = node.Version };
            var resize = request.Size is { } size && size != node.Size;
            if (request.Size is not null)
            {
                if (node.Kind != RemoteKind.File)
                    throw new OriginException(node.IsDirectory ? ErrorCode.IsDirectory : ErrorCode.InvalidArgument, $"Only a regular file has a size to set; '{path}' is a {node.Kind}");
                leases.CheckContentChangeLocked(node, path, s?.Id, epoch);
            }

            var cursor = m.Change(resize ? ChangeKind.ContentChanged : ChangeKind.AttributesChanged, path, node.Id);
            var updated = node with
            {
                Version = cursor,
                Mode = request.Mode is { } mode ? mode & NewNodes.ModeBits : node.Mode,
                Uid = request.Uid ?? node.Uid,
                Gid = request.Gid ?? node.Gid,
                AccessTimeNs = request.AccessTimeNs ?? node.AccessTimeNs,
                ModifyTimeNs = request.ModifyTimeNs ?? (resize ? m.NowNs : node.ModifyTimeNs),
                WindowsAttributes = request.WindowsAttributes ?? node.WindowsAttributes,
                ChangeTimeNs = m.NowNs,
            };
            if (resize)
            {
                updated = updated with { Size = request.Size!.Value, ContentVersion = cursor };
                if (node.OnDisk)
                {
                    tree.Disk.SetLength(path, updated.Size);
                    updated = updated with { Fingerprint = tree.Disk.StatPath(path)?.Fingerprint ?? default };
                }
            }

            m.Catalog.UpdateNode(updated);
            return m.Catalog.Info(updated, path);
        }, epoch);
    }

    public Task<(NodeInfo Node, long Cursor)> SetXattrAsync(SetXattrRequest request, string? session)
    {
        var path = tree.Paths.Check(request.Path);
        CheckName(request.Name);
        if (request.Value is null || request.Value.Length > MaxXattrValue)
            throw OriginException.Invalid($"An extended attribute's value is required and at most {MaxXattrValue} bytes");
        if (!Enum.IsDefined(request.Mode))
            throw OriginException.Invalid($"Unknown setxattr mode {request.Mode}");
        return tree.ChangeAsync(session, (m, _) =>
        {
            var node = OriginTree.Existing(m.Catalog, path);
            var exists = m.Catalog.Xattrs(node.Id)?.ContainsKey(request.Name) == true;
            if (exists && request.Mode == XattrMode.Create)
                throw new OriginException(ErrorCode.Exists, $"'{path}' already has the attribute {request.Name}");
            if (!exists && request.Mode == XattrMode.Replace)
                throw new OriginException(ErrorCode.NoAttribute, $"'{path}' has no attribute {request.Name}");
            m.Catalog.SetXattr(node.Id, request.Name, request.Value);
            return Touched(m, node, path);
        });
    }

    public Task<(NodeInfo Node, long Cursor)> RemoveXattrAsync(RemoveXattrRequest request, string? session)
    {
        var path = tree.Paths.Check(request.Path);
        CheckName(request.Name);
        return tree.ChangeAsync(session, (m, _) =>
        {
            var node = OriginTree.Existing(m.Catalog, path);
            if (!m.Catalog.RemoveXattr(node.Id, request.Name))
                throw new OriginException(ErrorCode.NoAttribute, $"'{path}' has no attribute {request.Name}");
            return Touched(m, node, path);
        });
    }

    private static NodeInfo Touched(Mutation m, NodeRow node, string path)
    {
        var cursor = m.Change(ChangeKind.AttributesChanged, path, node.Id);
        var updated = node with { Version = cursor, ChangeTimeNs = m.NowNs };
        m.Catalog.UpdateNode(updated);
        return m.Catalog.Info(updated, path);
    }

    private static void CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(name) > OriginPath.MaxNameBytes)
            throw OriginException.Invalid($"An extended attribute's name is 1 to {OriginPath.MaxNameBytes} bytes without NUL");
    }
}
