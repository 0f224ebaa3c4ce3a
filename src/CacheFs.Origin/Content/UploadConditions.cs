using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CacheFs.Origin.Content;

/// <summary>
/// What a PUT requires of the file it replaces, checked before the body is read (to fail fast) and again in the commit.
/// Fencing comes first (a stale epoch is 412 StaleLease, another session's write lease 409 LeaseConflict), then
/// If-None-Match: * on an existing file (409 Exists, with its content version) and If-Match (412 VersionMismatch).
/// </summary>
internal sealed record UploadConditions(string Path, string? Session, long? Epoch, StringValues IfMatch, bool CreateOnly)
{
    public static UploadConditions From(HttpContext context, string path) => new(
        path,
        RequestInput.Session(context),
        RequestInput.Epoch(context),
        context.Request.Headers.IfMatch,
        EntityTags.IsStar(context.Request.Headers.IfNoneMatch));

    /// <summary>The file the upload replaces (null for a new one), or the refusal. The gate must be held.</summary>
    public NodeRow? CheckLocked(Catalog catalog, Disk disk, LeaseService leases)
    {
        OriginTree.ParentOf(catalog, Path);
        var node = catalog.Find(Path);
        if (node is not null && node.Kind != RemoteKind.File)
            throw new OriginException(node.IsDirectory ? ErrorCode.IsDirectory : ErrorCode.InvalidArgument, $"'{Path}' is a {node.Kind}; only a regular file takes content");
        leases.CheckContentChangeLocked(node, Path, Session, Epoch);
        if (node is not null && CreateOnly)
            throw new OriginException(ErrorCode.Exists, $"'{Path}' exists (If-None-Match: *)") { CurrentVersion = node.ContentVersion };
        if (IfMatch.Count > 0)
        {
            if (node is null)
                throw OriginException.NotFound(Path);
            if (!EntityTags.Matches(IfMatch, node.ContentVersion))
                throw new OriginException(ErrorCode.VersionMismatch, $"'{Path}' has content version {node.ContentVersion}, not {IfMatch}") { CurrentVersion = node.ContentVersion };
        }

        if (node is null && disk.StatPath(Path) is not null)
            throw new OriginException(ErrorCode.Exists, $"'{Path}' exists on the origin's disk (made behind the origin's back; it is served after a restart)");
        return node;
    }
}
