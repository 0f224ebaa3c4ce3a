using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Namespace;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Origin.Content;

/// <summary>
/// PUT /v1/content: an atomic, durable upload. The body goes to a temp file in the state directory (same file system),
/// is checked and synced; then, under the gate and after the conditions are checked again, it is renamed over the
/// file, the directory is synced, other hard links are re-pointed, and the new version is committed. Whatever fails
/// before the rename (a dropped connection, a short body, a full disk, a refused condition) leaves the old version and
/// no temp file. PATCH is the same upload built from the base version and the changed ranges (<see cref="PatchReceiver"/>).
/// </summary>
internal sealed class Upload(OriginTree tree, LeaseService leases)
{
    private const uint NewFileMode = 0x1A4; // 0644

    public async Task PutAsync(HttpContext context)
    {
        var path = tree.Paths.Check(RequestInput.Path(context));
        if (path.Length == 0)
            throw new OriginException(ErrorCode.IsDirectory, "The root is a directory");
        var length = context.Request.ContentLength ?? throw OriginException.BadRequest("An upload needs an exact Content-Length (no chunked bodies)");
        var digest = UploadReceiver.Digest(context);
        var conditions = UploadConditions.From(context, path);
        using (await tree.Gate.EnterAsync(context.RequestAborted))
            conditions.CheckLocked(new Catalog(tree.Database.Writer, null), tree.Disk, leases);

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        var temp = tree.Disk.NewUploadFile();
        try
        {
            await UploadReceiver.ReceiveAsync(context.Request.Body, temp, length, digest, context.RequestAborted);
            var created = false;
            var (node, cursor) = await tree.ChangeAsync(conditions.Session, (m, _) => Commit(m, conditions, temp, length, out created), conditions.Epoch);
            context.Response.Headers.ETag = EntityTags.Of(node.ContentVersion);
            await Reply.NodeAsync(context, node, cursor, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task PatchAsync(HttpContext context)
    {
        var path = tree.Paths.Check(RequestInput.Path(context));
        if (path.Length == 0)
            throw new OriginException(ErrorCode.IsDirectory, "The root is a directory");
        var length = context.Request.ContentLength ?? throw OriginException.BadRequest("A ranged upload needs an exact Content-Length (no chunked bodies)");
        var size = RequestInput.HeaderNumber(context, Headers.ContentSize) ?? throw OriginException.BadRequest($"A ranged upload needs {Headers.ContentSize}");
        var conditions = UploadConditions.From(context, path);
        if (conditions.IfMatch.Count == 0 || EntityTags.IsStar(conditions.IfMatch) || conditions.CreateOnly)
            throw OriginException.BadRequest("A ranged upload needs If-Match naming its base version");
        SafeFileHandle? baseContent;
        using (await tree.Gate.EnterAsync(context.RequestAborted))
        {
            var node = conditions.CheckLocked(new Catalog(tree.Database.Writer, null), tree.Disk, leases) ?? throw OriginException.NotFound(path);

            // The open handle keeps the base's bytes: an upload meanwhile replaces the file by rename (and moves the version).
            baseContent = node.Size == 0 ? null : tree.Disk.OpenRead(path);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        var temp = tree.Disk.NewUploadFile();
        try
        {
            using (baseContent)
                await PatchReceiver.ReceiveAsync(context.Request.Body, baseContent, temp, size, length, context.RequestAborted);
            var (node, cursor) = await tree.ChangeAsync(conditions.Session, (m, _) => Commit(m, conditions, temp, size, out var _), conditions.Epoch);
            context.Response.Headers.ETag = EntityTags.Of(node.ContentVersion);
            await Reply.NodeAsync(context, node, cursor, StatusCodes.Status200OK);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private NodeInfo Commit(Mutation m, UploadConditions conditions, string temp, long length, out bool created)
    {
        var path = conditions.Path;
        var node = conditions.CheckLocked(m.Catalog, tree.Disk, leases);
        created = node is null;
        if (node is null)
        {
            var first = m.Change(ChangeKind.Created, path, 0);
            var row = NewNodes.Row(RemoteKind.File, new NewNodeAttributes { Mode = NewFileMode }, first, m.NowNs, onDisk: true) with { Size = length };
            tree.Disk.Install(temp, path);
            tree.Disk.SyncDirectory(OriginPath.Parent(path));
            return NewNodes.Insert(m, path, row with { Fingerprint = tree.Disk.StatPath(path)?.Fingerprint ?? default });
        }

        var cursor = m.Change(ChangeKind.ContentChanged, path, node.Id);
        tree.Disk.Install(temp, path);
        foreach (var other in m.Catalog.NamesOf(node.Id).Where(name => name != path))
            tree.Disk.Relink(path, other);
        foreach (var directory in m.Catalog.NamesOf(node.Id).Select(OriginPath.Parent).Distinct(StringComparer.Ordinal))
            tree.Disk.SyncDirectory(directory);
        var updated = node with
        {
            Version = cursor,
            ContentVersion = cursor,
            Size = length,
            ModifyTimeNs = m.NowNs,
            ChangeTimeNs = m.NowNs,
            Fingerprint = tree.Disk.StatPath(path)?.Fingerprint ?? default,
        };
        m.Catalog.UpdateNode(updated);
        return m.Catalog.Info(updated, path);
    }
}
