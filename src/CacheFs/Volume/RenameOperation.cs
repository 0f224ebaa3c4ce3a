using CacheFs.Journal;
using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>
/// One rename inside a namespace transaction: POSIX rename(2) with RENAME_NOREPLACE and RENAME_EXCHANGE, which also
/// covers Windows' rename with and without ReplaceIfExists. Validates everything before changing anything.
/// </summary>
internal readonly struct RenameOperation(CacheVolume volume, JournalWriter w, Timestamp now)
{
    public FsStatus Apply(long parent, string name, long newParent, string newName, RenameMode mode)
    {
        var source = w.LookupNode(parent, volume.FoldName(name));
        if (source is not { } src)
            return CacheVolume.MissingChildStatus(w.GetNode(parent));
        var targetDir = w.GetNode(newParent);
        if (targetDir is null)
            return FsStatus.NotFound;
        if (!targetDir.IsDirectory)
            return FsStatus.NotDirectory;
        if (src.Node.IsDirectory && IsInSubtree(newParent, src.Node.Id))
            return FsStatus.InvalidArgument;

        var target = w.LookupNode(newParent, volume.FoldName(newName));
        if (mode == RenameMode.Exchange)
            return target is { } dst ? Exchange(src, dst) : FsStatus.NotFound;

        if (target is { } existing)
        {
            // The same entry: renameat2(NOREPLACE) onto its own exact name is EEXIST on Linux; a case-only change
            // (case-insensitive volumes) is a new spelling, allowed even without replace, as Windows allows it.
            if (existing.Entry.Cookie == src.Entry.Cookie)
                return mode == RenameMode.NoReplace && existing.Entry.Name == newName ? FsStatus.Exists : ChangeCase(src.Entry, newName);
            // Another name of the same file still exists: NOREPLACE must refuse it (Linux EEXIST, Windows name collision).
            if (mode == RenameMode.NoReplace)
                return FsStatus.Exists;
            if (existing.Node.Id == src.Node.Id)
                return FsStatus.Ok; // Two names of one file: POSIX says do nothing.
            var kindCheck = CheckReplaceable(src.Node, existing.Node);
            if (kindCheck != FsStatus.Ok)
                return kindCheck;
            w.DeleteEntry(existing.Entry);
            volume.DropLinkInTransaction(w, existing.Node, now);
            if (existing.Node.IsDirectory)
                Touch(newParent, -1);
        }

        w.MoveEntry(src.Entry, newParent, newName, volume.FoldName(newName));
        w.UpdateNode(Moved(src.Node, newParent));
        var moved = src.Node.IsDirectory ? 1 : 0;
        if (parent == newParent)
        {
            Touch(parent, 0);
        }
        else
        {
            Touch(parent, -moved);
            Touch(newParent, moved);
        }

        return FsStatus.Ok;
    }

    private FsStatus Exchange((EntryRow Entry, NodeAttributes Node) a, (EntryRow Entry, NodeAttributes Node) b)
    {
        if (a.Entry.Cookie == b.Entry.Cookie)
            return FsStatus.Ok;
        if (b.Node.IsDirectory && IsInSubtree(a.Entry.Parent, b.Node.Id))
            return FsStatus.InvalidArgument;
        w.PointEntry(a.Entry, b.Node.Id);
        w.PointEntry(b.Entry, a.Node.Id);
        w.UpdateNode(Moved(w.GetNode(a.Node.Id)!, b.Entry.Parent));
        if (b.Node.Id != a.Node.Id)
            w.UpdateNode(Moved(w.GetNode(b.Node.Id)!, a.Entry.Parent));

        // A directory that changes parent moves one subdirectory link with it.
        var delta = (b.Node.IsDirectory ? 1 : 0) - (a.Node.IsDirectory ? 1 : 0);
        if (a.Entry.Parent == b.Entry.Parent)
        {
            Touch(a.Entry.Parent, 0);
        }
        else
        {
            Touch(a.Entry.Parent, delta);
            Touch(b.Entry.Parent, -delta);
        }

        return FsStatus.Ok;
    }

    /// <summary>Case-insensitive volumes: "report.doc" renamed to "Report.doc" is the same entry with a new spelling.</summary>
    private FsStatus ChangeCase(EntryRow entry, string newName)
    {
        if (entry.Name != newName)
        {
            w.MoveEntry(entry, entry.Parent, newName, volume.FoldName(newName));
            w.UpdateNode(w.GetNode(entry.Child)! with { ChangeTime = now });
            Touch(entry.Parent, 0);
        }

        return FsStatus.Ok;
    }

    /// <summary>A node now named in <paramref name="parent"/>: its ctime moves, and a directory records its new parent.</summary>
    private NodeAttributes Moved(NodeAttributes node, long parent) =>
        node with { ChangeTime = now, Parent = node.IsDirectory ? parent : node.Parent };

    private FsStatus CheckReplaceable(NodeAttributes source, NodeAttributes target)
    {
        if (source.IsDirectory && !target.IsDirectory)
            return FsStatus.NotDirectory;
        if (!source.IsDirectory && target.IsDirectory)
            return FsStatus.IsDirectory;
        if (target.IsDirectory && w.HasEntries(target.Id))
            return FsStatus.NotEmpty;
        return FsStatus.Ok;
    }

    private bool IsInSubtree(long directory, long ancestor) => IsInSubtree(w, directory, ancestor);

    /// <summary>Whether <paramref name="directory"/> is <paramref name="ancestor"/> or lies below it.</summary>
    internal static bool IsInSubtree(JournalSession w, long directory, long ancestor)
    {
        for (long? at = directory; at is { } id; at = w.ParentOf(id))
        {
            if (id == ancestor)
                return true;
            if (id == NodeIds.Root)
                return false;
        }

        return false;
    }

    private void Touch(long directory, int subdirectoryDelta) => CacheVolume.TouchDirectory(w, directory, now, subdirectoryDelta);
}
