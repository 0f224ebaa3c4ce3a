using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Namespace;

/// <summary>
/// rename with renameat2's three modes. Policy first (the POSIX checks, the source's expected version, and the
/// refusal to replace a file another session is writing), then the disk, then the rows. A replaced target is reported
/// as its own Removed record before the Renamed one; an exchange is two Renamed records, to be applied by node id.
/// </summary>
internal sealed class Renaming(OriginTree tree, LeaseService leases)
{
    /// <summary>A path no client can name (NUL is refused), used to swap two entries in the table.</summary>
    private const string SwapPath = "\0exchange";

    public Task<(NodeInfo Node, long Cursor)> RenameAsync(RenameRequest request, string? session)
    {
        var from = tree.Paths.Check(request.Path);
        var to = tree.Paths.Check(request.NewPath, "new path");
        if (from.Length == 0 || to.Length == 0)
            throw OriginException.Invalid("The root cannot be renamed");
        if (!Enum.IsDefined(request.Mode))
            throw OriginException.Invalid($"Unknown rename mode {request.Mode}");
        if (to != from && OriginPath.IsSameOrBelow(to, from))
            throw OriginException.Invalid($"'{from}' cannot move below itself");
        if (request.Mode == RenameMode.Exchange && to != from && OriginPath.IsSameOrBelow(from, to))
            throw OriginException.Invalid($"'{to}' cannot move below itself");

        return tree.ChangeAsync(session, (m, s) =>
        {
            var source = OriginTree.Existing(m.Catalog, from);
            if (request.ExpectedId is { } id && id != source.Id)
                throw new OriginException(ErrorCode.NotFound, $"'{from}' is another node now (the one asked for moved or was removed)");
            if (request.ExpectedVersion is { } expected && expected != source.Version)
                throw new OriginException(ErrorCode.VersionMismatch, $"'{from}' is at version {source.Version}, not {expected}") { CurrentVersion = source.Version };
            OriginTree.ParentOf(m.Catalog, to);
            var target = m.Catalog.Find(to);
            if (from == to || (target is not null && target.Id == source.Id && request.Mode == RenameMode.Replace))
                return m.Catalog.Info(source, from);
            if (request.Mode == RenameMode.Exchange)
                return Exchange(m, from, to, source, target ?? throw OriginException.NotFound(to), s);
            if (target is not null)
            {
                if (request.Mode == RenameMode.NoReplace)
                    throw new OriginException(ErrorCode.Exists, $"'{to}' exists") { CurrentVersion = target.Version };
                if (request.ExpectedTargetContentVersion is { } content && !target.IsDirectory && content != target.ContentVersion)
                    throw new OriginException(ErrorCode.VersionMismatch, $"'{to}' changed since (content version {target.ContentVersion}, not {content})") { CurrentVersion = target.Version };
                CheckReplaceable(m.Catalog, source, target, to);
                leases.CheckNotLeasedByOthersLocked(target, to, s);
            }

            return Move(m, from, to, source, target, request.Mode);
        });
    }

    private NodeInfo Move(Mutation m, string from, string to, NodeRow source, NodeRow? target, RenameMode mode)
    {
        if (target is not null)
        {
            TreeEdits.RemoveName(m, to, target);
            if (m.Catalog.Node(target.Id) is null)
                leases.DropNodeLocked(target.Id);
        }

        var cursor = m.Change(ChangeKind.Renamed, from, source.Id, to);
        m.Catalog.MoveEntries(from, to);
        m.Catalog.UpdateNode(source with { Version = cursor, ChangeTimeNs = m.NowNs });
        var directories = source.IsDirectory ? 1 : 0;
        TreeEdits.TouchDirectory(m, OriginPath.Parent(from), cursor, -directories);
        TreeEdits.TouchDirectory(m, OriginPath.Parent(to), cursor, directories - (target?.IsDirectory == true ? 1 : 0));

        if (source.OnDisk)
            tree.Disk.Rename(from, to, mode);
        else if (target?.OnDisk == true)
            tree.Disk.Remove(to, target.IsDirectory);
        SyncParents(from, to);
        return m.Catalog.Info(m.Catalog.Node(source.Id)!, to);
    }

    private NodeInfo Exchange(Mutation m, string from, string to, NodeRow source, NodeRow target, Sessions.Session? session)
    {
        leases.CheckNotLeasedByOthersLocked(source, from, session);
        leases.CheckNotLeasedByOthersLocked(target, to, session);
        var first = m.Change(ChangeKind.Renamed, from, source.Id, to);
        var second = m.Change(ChangeKind.Renamed, to, target.Id, from);
        m.Catalog.MoveEntries(from, SwapPath);
        m.Catalog.MoveEntries(to, from);
        m.Catalog.MoveEntries(SwapPath, to);
        m.Catalog.UpdateNode(source with { Version = first, ChangeTimeNs = m.NowNs });
        m.Catalog.UpdateNode(target with { Version = second, ChangeTimeNs = m.NowNs });
        var shift = (target.IsDirectory ? 1 : 0) - (source.IsDirectory ? 1 : 0);
        var sameParent = OriginPath.Parent(from) == OriginPath.Parent(to);
        TreeEdits.TouchDirectory(m, OriginPath.Parent(from), second, sameParent ? 0 : shift);
        TreeEdits.TouchDirectory(m, OriginPath.Parent(to), second, sameParent ? 0 : -shift);

        if (source.OnDisk && target.OnDisk)
            tree.Disk.Rename(from, to, RenameMode.Exchange);
        else if (source.OnDisk)
            tree.Disk.Rename(from, to, RenameMode.NoReplace);
        else if (target.OnDisk)
            tree.Disk.Rename(to, from, RenameMode.NoReplace);
        SyncParents(from, to);
        return m.Catalog.Info(m.Catalog.Node(source.Id)!, to);
    }

    private static void CheckReplaceable(Catalog catalog, NodeRow source, NodeRow target, string to)
    {
        if (source.IsDirectory && !target.IsDirectory)
            throw new OriginException(ErrorCode.NotDirectory, $"'{to}' is not a directory; a directory cannot replace it");
        if (!source.IsDirectory && target.IsDirectory)
            throw new OriginException(ErrorCode.IsDirectory, $"'{to}' is a directory; a file cannot replace it");
        if (target.IsDirectory && catalog.HasChildren(to))
            throw new OriginException(ErrorCode.NotEmpty, $"'{to}' is not empty");
    }

    private void SyncParents(string from, string to)
    {
        tree.Disk.SyncDirectory(OriginPath.Parent(to));
        if (OriginPath.Parent(from) != OriginPath.Parent(to))
            tree.Disk.SyncDirectory(OriginPath.Parent(from));
    }
}
