using CacheFs.Journal;
using CacheFs.Names;
using CacheFs.Nodes;
using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>
/// The origin's changes coming in: listings of unlisted directories and change events. The origin's view never
/// overwrites what the user changed here and the origin has not acknowledged yet (a dirty file, or a node with queued
/// outbox entries); those wait for the outbox replay, which settles any clash.
/// </summary>
public sealed partial class CacheVolume
{
    /// <summary>
    /// Tells the host what changed here without the OS's knowledge, so it drops what the OS cached of it (names,
    /// attributes, pages). Called after the change is committed, on the caller's thread (the sync engine's), never on
    /// an OS request's.
    /// </summary>
    public Action<VolumeChange>? Invalidate { get; set; }

    /// <summary>Fills an unlisted directory with the origin's entries and marks it listed.</summary>
    public FsStatus ApplyListing(long directory, IReadOnlyList<(string Name, RemoteNode Node)> entries)
    {
        var refresh = new List<(long Id, RemoteNode Node)>();
        var status = Namespace(w =>
        {
            var dir = w.GetNode(directory);
            if (dir is null || !dir.IsDirectory)
                return FsStatus.NotFound;
            if (dir.Content != ContentState.Placeholder)
                return FsStatus.Ok; // listed meanwhile by another caller
            foreach (var (name, node) in entries)
            {
                if (NameRules.Validate(name) == FsStatus.Ok)
                    PlaceRemote(w, directory, name, node, refresh, changes: null);
            }

            w.UpdateNode(w.GetNode(directory)! with { Content = ContentState.Complete });
            return FsStatus.Ok;
        });
        foreach (var (id, node) in refresh)
            RefreshFile(id, node);
        return status;
    }

    /// <summary>
    /// A name appeared or a node changed on the origin. Busy when what is here has unsent changes (nothing done).
    /// <paramref name="cursor"/>: the change log position of the event that says so (0 for a listing or an answer).
    /// </summary>
    public FsStatus ApplyRemoteNode(string path, RemoteNode node, long cursor = 0)
    {
        // The root's own change has path "" and names no entry; like a listing, never place a name the volume refuses.
        if (NameRules.Validate(LastName(path)) != FsStatus.Ok)
            return FsStatus.Ok;
        var refresh = new List<(long Id, RemoteNode Node)>();
        var changes = new List<VolumeChange>();
        var status = Namespace(w =>
        {
            if (ResolveListedParent(w, path) is not { } parent)
                return FsStatus.Ok; // the cache has not listed that directory: the change arrives with its listing
            return PlaceRemote(w, parent, LastName(path), node, refresh, changes, cursor) ? FsStatus.Ok : FsStatus.Busy;
        });
        foreach (var (id, remote) in refresh)
            changes.Add(RefreshFile(id, remote) ? VolumeChange.Content(id) : VolumeChange.Attributes(id));
        Announce(changes);
        return status;
    }

    /// <summary>
    /// A node the origin already had changed its content or attributes. Unlike a creation, this names nothing new: a
    /// node this cache holds under another name (renamed here, the rename not sent yet) is refreshed where it is, if
    /// settled, and never given the origin's name as a second link.
    /// </summary>
    public FsStatus ApplyRemoteUpdate(string path, RemoteNode node, long cursor = 0)
    {
        var known = node.OriginId == 0 ? null : _journal.Read(s => s.NodeOfOrigin(node.OriginId));
        if (known is not { } id || Resolve(path) is { IsOk: true } here && here.Value.Id == id)
            return ApplyRemoteNode(path, node, cursor);
        if (!IsSettled(id))
            return FsStatus.Busy;
        if (node.Kind != NodeKind.File)
            return FsStatus.Ok; // a directory or link renamed here takes the origin's attributes with its next listing
        Announce([RefreshFile(id, node) ? VolumeChange.Content(id) : VolumeChange.Attributes(id)]);
        return FsStatus.Ok;
    }

    /// <summary>
    /// Lists an already listed directory again and follows the origin: its names are placed (a node known here under
    /// another name moves to it), and settled names the origin no longer has go. Names with unsent changes stay.
    /// Busy, changing nothing, when a change was queued here after <paramref name="queuedThrough"/> (the newest queued
    /// change when the origin was asked): the listing may then predate it (a name deleted here and on the origin since
    /// would come back), so the caller lists again once it is sent.
    /// </summary>
    public FsStatus ApplyRelisting(string directoryPath, IReadOnlyList<(string Name, RemoteNode Node)> entries, long queuedThrough)
    {
        var refresh = new List<(long Id, RemoteNode Node)>();
        var changes = new List<VolumeChange>();
        var status = Namespace(w =>
        {
            if (w.OutboxLastQueued() != queuedThrough)
                return FsStatus.Busy;
            // Listed, with every directory on the way: an unlisted one gets the origin's names with its first listing.
            if (ResolveListedParent(w, directoryPath.Length == 0 ? "-" : directoryPath + "/-") is not { } dir)
                return FsStatus.Ok;
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, node) in entries)
            {
                if (NameRules.Validate(name) != FsStatus.Ok)
                    continue;
                wanted.Add(_names.Fold(name));
                PlaceRemote(w, dir, name, node, refresh, changes);
            }

            var stale = new List<string>();
            for (var page = w.ListEntries(dir, 0, 1024); page.Count > 0; page = w.ListEntries(dir, page[^1].Cookie, 1024))
                stale.AddRange(page.Where(e => e.Attributes.OriginId != 0 && !wanted.Contains(_names.Fold(e.Name))).Select(e => e.Name));
            foreach (var name in stale)
            {
                if (w.LookupNode(dir, _names.Fold(name)) is not { } hit || !IsSettled(w, hit.Node) || (hit.Node.IsDirectory && w.HasEntries(hit.Node.Id)))
                    continue;
                w.DeleteEntry(hit.Entry);
                DropLinkInTransaction(w, hit.Node, Now());
                AdjustLinks(w, dir, hit.Node.IsDirectory ? -1 : 0);
                changes.Add(VolumeChange.Removed(dir, name, hit.Node.Id));
            }

            return FsStatus.Ok;
        });
        foreach (var (id, remote) in refresh)
            changes.Add(RefreshFile(id, remote) ? VolumeChange.Content(id) : VolumeChange.Attributes(id));
        Announce(changes);
        return status;
    }

    /// <summary>
    /// Follows a rename the origin made of our own queued rename (it went to a conflict name): the node moves here too,
    /// queued changes or not, and nothing is queued for it.
    /// </summary>
    public FsStatus FollowOwnRename(string path, string newPath)
    {
        var changes = new List<VolumeChange>();
        var status = Namespace(w =>
        {
            if (ResolveListedParent(w, path) is not { } parent || ResolveListedParent(w, newPath) is not { } to)
                return FsStatus.NotFound;
            var moved = new RenameOperation(this, w, Now()).Apply(parent, LastName(path), to, LastName(newPath), RenameMode.NoReplace);
            if (moved == FsStatus.Ok)
                changes.AddRange([VolumeChange.Entry(parent, LastName(path)), VolumeChange.Entry(to, LastName(newPath))]);
            return moved;
        });
        Announce(changes);
        return status;
    }

    /// <summary>
    /// A name went away on the origin. With <paramref name="originId"/>, only if it still names that node here: a name
    /// that holds another node by now (restored or made again since the removal) stays.
    /// </summary>
    public FsStatus ApplyRemoteRemoval(string path, long originId = 0)
    {
        VolumeChange? removed = null;
        var status = Namespace(w =>
        {
            if (ResolveListedParent(w, path) is not { } parent || w.LookupNode(parent, _names.Fold(LastName(path))) is not { } hit
                || (originId != 0 && hit.Node.OriginId != originId))
                return FsStatus.Ok;
            if (!IsSettled(w, hit.Node))
                return FsStatus.Busy;
            if (hit.Node.IsDirectory && w.HasEntries(hit.Node.Id))
                return FsStatus.Ok;
            w.DeleteEntry(hit.Entry);
            DropLinkInTransaction(w, hit.Node, Now());
            AdjustLinks(w, parent, hit.Node.IsDirectory ? -1 : 0);
            removed = VolumeChange.Removed(parent, LastName(path), hit.Node.Id);
            return FsStatus.Ok;
        });
        if (removed is { } change)
            Announce([change]);
        return status;
    }

    /// <summary>
    /// A name moved on the origin. If the cache cannot follow (the target directory is not listed), the name just goes.
    /// NotFound when the moved node is not at <paramref name="path"/> here (never seen, or moved here meanwhile): the
    /// caller then learns what is at <paramref name="newPath"/> from the origin.
    /// </summary>
    /// <remarks>
    /// The origin reports a replaced target as its own removal first, so a target still here when the rename arrives
    /// means an exchange (which the origin reports as two renames): the two names swap, and the second record, whose
    /// source then holds another node, changes nothing. <paramref name="originId"/> is the moved node's origin id.
    /// </remarks>
    public FsStatus ApplyRemoteRename(string path, string newPath, long originId = 0)
    {
        var changes = new List<VolumeChange>();
        var status = Namespace(w =>
        {
            if (ResolveListedParent(w, path) is not { } parent || w.LookupNode(parent, _names.Fold(LastName(path))) is not { } hit
                || (originId != 0 && hit.Node.OriginId != originId))
                return FsStatus.NotFound;
            if (!IsSettled(w, hit.Node))
                return FsStatus.Busy;
            var newParent = ResolveListedParent(w, newPath);
            var newName = LastName(newPath);
            if (newParent is { } target && w.LookupNode(target, _names.Fold(newName)) is { } existing)
            {
                if (!IsSettled(w, existing.Node) || existing.Node.Id == hit.Node.Id)
                    return FsStatus.Ok;
                if (existing.Node.OriginId != 0 && existing.Node.OriginId != hit.Node.OriginId)
                {
                    new RenameOperation(this, w, Now()).Apply(parent, LastName(path), target, newName, RenameMode.Exchange);
                    changes.AddRange([VolumeChange.Entry(parent, LastName(path)), VolumeChange.Entry(target, newName)]);
                    return FsStatus.Ok;
                }

                if (existing.Node.IsDirectory && w.HasEntries(existing.Node.Id))
                    return FsStatus.Ok;
                w.DeleteEntry(existing.Entry);
                DropLinkInTransaction(w, existing.Node, Now());
                AdjustLinks(w, target, existing.Node.IsDirectory ? -1 : 0);
                changes.Add(VolumeChange.Removed(target, newName, existing.Node.Id));
            }

            var subdirectory = hit.Node.IsDirectory ? 1 : 0;
            if (newParent is not { } to || (hit.Node.IsDirectory && RenameOperation.IsInSubtree(w, to, hit.Node.Id)))
            {
                w.DeleteEntry(hit.Entry);
                DropLinkInTransaction(w, hit.Node, Now());
                AdjustLinks(w, parent, -subdirectory);
                changes.Add(VolumeChange.Removed(parent, LastName(path), hit.Node.Id));
                return FsStatus.Ok;
            }

            w.MoveEntry(hit.Entry, to, newName, _names.Fold(newName));
            if (hit.Node.IsDirectory)
                w.UpdateNode(hit.Node with { Parent = to });
            AdjustLinks(w, parent, -subdirectory);
            AdjustLinks(w, to, subdirectory);
            changes.AddRange([VolumeChange.Entry(parent, LastName(path)), VolumeChange.Entry(to, newName), VolumeChange.Attributes(hit.Node.Id)]);
            return FsStatus.Ok;
        });
        Announce(changes);
        return status;
    }

    /// <summary>Whether a lookup or listing of <paramref name="directory"/> must ask the origin first.</summary>
    private bool NeedsListing(NodeAttributes? directory) =>
        Lister is not null && directory is { Kind: NodeKind.Directory, Content: ContentState.Placeholder };

    /// <summary>
    /// Puts the origin's <paramref name="node"/> under <paramref name="name"/>: a new placeholder, a new name of a file
    /// already cached (a hard link), or fresh attributes for the node already there. Files whose content or attributes
    /// moved are refreshed after the transaction, under their own size lock. What the OS may have cached of the change
    /// goes to <paramref name="changes"/> (null when the OS cannot have seen the directory).
    /// </summary>
    private bool PlaceRemote(JournalWriter w, long parent, string name, RemoteNode node, List<(long, RemoteNode)> refresh, List<VolumeChange>? changes, long cursor = 0)
    {
        var fold = _names.Fold(name);
        if (w.LookupNode(parent, fold) is { } hit)
        {
            if (!IsSettled(w, hit.Node))
                return false;
            if (hit.Node.OriginId == node.OriginId && hit.Node.Kind == node.Kind)
            {
                if (node.Kind == NodeKind.File)
                {
                    refresh.Add((hit.Node.Id, node));
                }
                else
                {
                    w.UpdateNode(WithRemoteAttributes(hit.Node, node));
                    changes?.Add(VolumeChange.Attributes(hit.Node.Id));
                }

                ReplaceXattrs(w, hit.Node.Id, node);
                return true;
            }

            if (hit.Node.IsDirectory && w.HasEntries(hit.Node.Id))
                return false;

            // An event older than the file here (made or written on the origin after it: our own file, sent before this
            // mount caught up with the log) names a node that left the name since; the later events say where it went.
            if (cursor > 0 && hit.Node.Kind == NodeKind.File && VersionNumber(hit.Node.OriginVersion) is { } here && cursor < here)
                return true;
            w.DeleteEntry(hit.Entry);
            DropLinkInTransaction(w, hit.Node, Now());
            AdjustLinks(w, parent, hit.Node.IsDirectory ? -1 : 0);
            changes?.Add(VolumeChange.Removed(parent, name, hit.Node.Id));
        }

        if (node.Kind == NodeKind.File && w.NodeOfOrigin(node.OriginId) is { } linked && w.GetNode(linked) is { LinkCount: > 0 } other)
        {
            if (node.LinkCount <= 1)
            {
                // The origin has one name for it, so the name it has here is old: the node moves (if nothing of it waits).
                if (!IsSettled(w, other))
                    return false;
                var old = w.PathOf(linked) is { } oldPath ? ResolveListedParent(w, oldPath) is { } oldParent ? w.LookupNode(oldParent, _names.Fold(LastName(oldPath))) : null : null;
                if (old is { } at && at.Node.Id == linked && other.LinkCount == 1)
                {
                    w.MoveEntry(at.Entry, parent, name, fold);
                    changes?.AddRange([VolumeChange.Entry(at.Entry.Parent, at.Entry.Name), VolumeChange.Entry(parent, name), VolumeChange.Attributes(linked)]);
                    refresh.Add((linked, node));
                    return true;
                }
            }

            changes?.Add(VolumeChange.Entry(parent, name));
            w.InsertEntry(parent, name, fold, linked);
            w.UpdateNode(other with { LinkCount = other.LinkCount + 1 });
            changes?.Add(VolumeChange.Attributes(linked));
            return true;
        }

        changes?.Add(VolumeChange.Entry(parent, name));
        var placeholder = WithRemoteAttributes(
            new NodeAttributes
            {
                Id = 0,
                Kind = node.Kind,
                LinkCount = node.Kind == NodeKind.Directory ? 2u : 1u,
                Parent = node.Kind == NodeKind.Directory ? parent : 0,
                LastAccess = Now(),
                Content = node.Kind is NodeKind.File or NodeKind.Directory ? ContentState.Placeholder : ContentState.Complete,
            },
            node) with { OriginVersion = node.ContentVersion, Size = node.Size, Pinned = w.GetNode(parent) is { Pinned: true } };
        var id = w.InsertNode(placeholder, node.Target);
        w.InsertEntry(parent, name, fold, id);
        if (placeholder.Pinned && node.Kind == NodeKind.File)
            refresh.Add((id, node)); // a new file in a pinned directory is pinned too: fetched once committed
        ReplaceXattrs(w, id, node);
        AdjustLinks(w, parent, node.Kind == NodeKind.Directory ? 1 : 0);
        return true;
    }

    /// <summary>
    /// A clean file's origin attributes, and, if its version moved, the end of its cached content: the object is cut
    /// to nothing and the file is a placeholder of the new version. A file changed here meanwhile is left alone.
    /// True when the content was dropped.
    /// </summary>
    private bool RefreshFile(long id, RemoteNode node)
    {
        if (!Acquire(id).TryGet(out var file))
            return false;
        try
        {
            lock (file.SizeLock)
            {
                if (file.DirtyRecorded || IsOlder(node.ContentVersion, file.OriginVersion))
                    return false; // changed here; or an old change replayed after a newer one was applied
                var stale = file.OriginVersion != node.ContentVersion;
                var status = Guard(() =>
                {
                    var writer = _journal.BeginWrite();
                    try
                    {
                        if (writer.GetNode(id) is not { } row || writer.HasQueuedChanges(id))
                            return FsStatus.Busy;
                        var updated = WithRemoteAttributes(file.Overlay(row), node) with
                        {
                            Size = stale ? node.Size : file.Size,
                            OriginVersion = node.ContentVersion,
                            Content = stale ? ContentState.Placeholder : file.Content,
                            CachedBytes = stale ? 0 : file.CachedBytes,
                        };
                        writer.UpdateNode(updated);
                        if (stale)
                            writer.ReplaceRanges(id, new Content.RangeSet());
                        writer.Commit();
                        return FsStatus.Ok;
                    }
                    finally
                    {
                        writer.End();
                    }
                });
                if (status != FsStatus.Ok)
                    return false;
                file.ModifyTime = node.ModifyTime;
                file.ChangeTime = node.ChangeTime;
                file.AccessTime = node.AccessTime;
                file.OriginId = node.OriginId;
                file.OriginVersion = node.ContentVersion;
                if (stale)
                {
                    file.Size = node.Size;
                    file.Content = ContentState.Placeholder;
                    file.Ranges.TruncateTo(0);
                    if (EnsureObjectLocked(file, create: false) is { } content)
                        RandomAccess.SetLength(content, 0);
                    RehydrateIfPinned(file.Id);
                }
                else if (file.Content != ContentState.Complete)
                {
                    RehydrateIfPinned(file.Id);
                }

                return stale;
            }
        }
        catch (Exception e) when (IsFault(e))
        {
            Fault(e);
            return false;
        }
        finally
        {
            ReleaseFile(file);
        }
    }

    /// <summary>Whether content version <paramref name="version"/> came before <paramref name="than"/> (the origin numbers them in order).</summary>
    private static bool IsOlder(string? version, string? than) => VersionNumber(version) is { } a && VersionNumber(than) is { } b && a < b;

    /// <summary>A content version as the origin's change-log position it was made at; null when it is not one.</summary>
    private static long? VersionNumber(string? version) =>
        long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Nothing of node <paramref name="id"/> waits for the origin: no unsent bytes, no queued change.</summary>
    public bool IsSettled(long id) => _journal.Read(s => s.GetNode(id) is not { } node || IsSettled(s, node));

    /// <summary>Nothing of the node waits for the origin: no unsent bytes, no queued change.</summary>
    private bool IsSettled(JournalSession w, NodeAttributes node) =>
        !(node.Dirty || (_live.TryGetValue(node.Id, out var live) && live.DirtyRecorded) || w.HasQueuedChanges(node.Id));

    /// <summary>The directory holding <paramref name="path"/> if every directory on the way is listed, else null.</summary>
    private long? ResolveListedParent(JournalWriter w, string path)
    {
        long at = NodeIds.Root;
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var dir = w.GetNode(at);
            if (dir is null || !dir.IsDirectory || dir.Content == ContentState.Placeholder)
                return null;
            if (i == parts.Length - 1)
                return at;
            if (w.LookupEntry(at, _names.Fold(parts[i])) is not { } entry)
                return null;
            at = entry.Child;
        }

        return null;
    }

    private static void AdjustLinks(JournalWriter w, long directory, int subdirectoryDelta)
    {
        if (subdirectoryDelta != 0 && w.GetNode(directory) is { } dir)
            w.UpdateNode(dir with { LinkCount = (uint)(dir.LinkCount + subdirectoryDelta) });
    }

    private static void ReplaceXattrs(JournalWriter w, long id, RemoteNode node)
    {
        var names = w.ListXattrs(id);
        var wanted = node.Xattrs ?? new Dictionary<string, byte[]>();
        foreach (var name in names.Where(n => !wanted.ContainsKey(n)))
            w.RemoveXattr(id, name);
        foreach (var (name, value) in wanted)
        {
            if (w.GetXattr(id, name) is not { } old || !old.AsSpan().SequenceEqual(value))
                w.SetXattr(id, name, value);
        }
    }

    private static NodeAttributes WithRemoteAttributes(NodeAttributes local, RemoteNode node) => local with
    {
        OriginId = node.OriginId,
        Mode = node.Mode & 0xFFF,
        Uid = node.Uid,
        Gid = node.Gid,
        AccessTime = node.AccessTime,
        ModifyTime = node.ModifyTime,
        ChangeTime = node.ChangeTime,
        BirthTime = node.BirthTime,
        WindowsAttributes = node.WindowsAttributes,
        DeviceNumber = node.DeviceNumber,
        Size = node.Kind == NodeKind.Symlink ? node.Size : local.Size,
    };

    private static string LastName(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Hands the committed changes to the host, if one listens.</summary>
    private void Announce(IEnumerable<VolumeChange> changes)
    {
        if (Invalidate is not { } invalidate)
            return;
        foreach (var change in changes)
            invalidate(change);
    }
}
