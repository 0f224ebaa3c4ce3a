using CacheFs.Journal;
using CacheFs.Names;
using CacheFs.Nodes;
using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>Namespace changes: each runs under the volume gate and commits to the journal before it returns.</summary>
public sealed partial class CacheVolume
{
    /// <summary>The longest symlink target, in UTF-8 bytes (PATH_MAX less the terminator).</summary>
    public const int MaxSymlinkTarget = 4095;

    public FsResult<NodeAttributes> MakeDirectory(long parent, string name, NewNode owner) =>
        CreateNode(parent, name, NodeKind.Directory, owner, 0, null);

    /// <summary>mknod: a regular file, or a fifo/socket/device kept as metadata only.</summary>
    public FsResult<NodeAttributes> MakeNode(long parent, string name, NodeKind kind, NewNode owner, ulong deviceNumber = 0)
    {
        if (kind is NodeKind.Directory or NodeKind.Symlink)
            return FsStatus.InvalidArgument;
        return CreateNode(parent, name, kind, owner, deviceNumber, null);
    }

    public FsResult<NodeAttributes> MakeSymlink(long parent, string name, string target, NewNode owner)
    {
        if (string.IsNullOrEmpty(target) || target.Contains('\0', StringComparison.Ordinal))
            return FsStatus.InvalidArgument;
        if (System.Text.Encoding.UTF8.GetByteCount(target) > MaxSymlinkTarget)
            return FsStatus.NameTooLong;
        return CreateNode(parent, name, NodeKind.Symlink, owner with { Mode = Convert.ToUInt32("777", 8) }, 0, target);
    }

    /// <summary>Creates a regular file and opens it; an existing file is opened instead unless <paramref name="exclusive"/>.</summary>
    public FsResult<OpenResult> Create(long parent, string name, NewNode owner, OpenFlags flags, bool exclusive)
    {
        var listed = EnsureListed(parent);
        if (listed != FsStatus.Ok)
            return listed;
        lock (_gate)
        {
            var existing = Lookup(parent, name);
            if (existing.IsOk)
            {
                if (exclusive)
                    return FsStatus.Exists;
                if (existing.Value.IsDirectory)
                    return FsStatus.IsDirectory;
                return Open(existing.Value.Id, flags);
            }

            if (existing.Status != FsStatus.NotFound)
                return existing.Status;
            var created = CreateNode(parent, name, NodeKind.File, owner, 0, null);
            if (!created.IsOk)
                return created.Status;
            var opened = Open(created.Value.Id, flags & ~OpenFlags.Truncate);
            return opened.IsOk ? opened.Value with { Created = true } : opened;
        }
    }

    public FsResult<NodeAttributes> Link(long node, long newParent, string newName)
    {
        var status = NameRules.Validate(newName);
        if (status == FsStatus.Ok)
            status = EnsureListed(newParent);
        if (status != FsStatus.Ok)
            return status;
        NodeAttributes? linked = null;
        status = Namespace(w =>
        {
            var target = w.GetNode(node);
            if (target is null || target.LinkCount == 0)
                return FsStatus.NotFound;
            if (target.IsDirectory)
                return FsStatus.NotPermitted;
            if (target.LinkCount >= uint.MaxValue - 1)
                return FsStatus.TooManyLinks;
            var check = CheckFreeName(w, newParent, newName);
            if (check != FsStatus.Ok)
                return check;
            var now = Now();
            Queue(w, OutboxKind.Link, node, w.PathOf(node), PathIn(w, newParent, newName));
            w.InsertEntry(newParent, newName, _names.Fold(newName), node);
            linked = target with { LinkCount = target.LinkCount + 1, ChangeTime = now };
            w.UpdateNode(linked);
            TouchDirectory(w, newParent, now, 0);
            return FsStatus.Ok;
        });
        return status == FsStatus.Ok ? Overlay(linked!) : status;
    }

    public FsStatus Unlink(long parent, string name) => RemoveName(parent, name, directory: false);

    public FsStatus RemoveDirectory(long parent, string name) => RemoveName(parent, name, directory: true);

    public FsStatus Rename(long parent, string name, long newParent, string newName, RenameMode mode = RenameMode.Replace)
    {
        var status = NameRules.Validate(name);
        if (status == FsStatus.Ok)
            status = NameRules.Validate(newName);
        if (status == FsStatus.Ok)
            status = EnsureListed(parent);
        if (status == FsStatus.Ok)
            status = EnsureListed(newParent);
        if (status != FsStatus.Ok)
            return status;
        if (mode != RenameMode.Exchange && Leases is { } leases && Lookup(newParent, newName) is { IsOk: true } target && target.Value.OriginId != 0)
        {
            // Saving by "write a temp file, rename it over the original" writes the original: it needs the original's lease.
            status = leases.AcquireForReplacement(target.Value.Id);
            if (status != FsStatus.Ok)
                return status;
        }

        return Namespace(w =>
        {
            var from = PathIn(w, parent, name);
            var to = PathIn(w, newParent, newName);
            var node = w.LookupEntry(parent, _names.Fold(name))?.Child ?? 0;

            // A rename onto a free name must not replace what someone else put there meanwhile: on the origin it may
            // only take a free name too (a clash then keeps both). A rename over a file the origin has replaces only
            // the version seen here, like a delete of it (someone else's newer version then keeps the name).
            var replaced = mode == RenameMode.Replace ? w.LookupNode(newParent, _names.Fold(newName)) : null;
            var sent = mode == RenameMode.Replace && replaced is null ? RenameMode.NoReplace : mode;
            var target = replaced is { Node: { Kind: NodeKind.File, OriginId: not 0 } file } && file.Id != node ? file : null;
            var renamed = new RenameOperation(this, w, Now()).Apply(parent, name, newParent, newName, mode);
            if (renamed == FsStatus.Ok)
                Queue(w, OutboxKind.Rename, node, from, to, (int)sent, baseVersion: target?.OriginVersion, target: target?.Id ?? 0);
            return renamed;
        });
    }

    private FsResult<NodeAttributes> CreateNode(long parent, string name, NodeKind kind, NewNode owner, ulong deviceNumber, string? target)
    {
        var status = NameRules.Validate(name);
        if (status == FsStatus.Ok && !_gate.IsHeldByCurrentThread)
            status = EnsureListed(parent);
        if (status != FsStatus.Ok)
            return status;
        NodeAttributes? created = null;
        status = Namespace(w =>
        {
            var check = CheckFreeName(w, parent, name);
            if (check != FsStatus.Ok)
                return check;
            var now = Now();
            var node = NewAttributes(kind, owner, now) with
            {
                Parent = kind == NodeKind.Directory ? parent : 0,
                DeviceNumber = deviceNumber,
                Size = target is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(target),
            };
            node = node with { Id = w.InsertNode(node, target) };
            w.InsertEntry(parent, name, _names.Fold(name), node.Id);
            Queue(w, kind == NodeKind.Directory ? OutboxKind.MakeDirectory : OutboxKind.MakeNode, node.Id, PathIn(w, parent, name));
            TouchDirectory(w, parent, now, kind == NodeKind.Directory ? 1 : 0);
            created = node;
            return FsStatus.Ok;
        });
        return status == FsStatus.Ok ? created! : status;
    }

    private FsStatus RemoveName(long parent, string name, bool directory)
    {
        var status = NameRules.Validate(name);
        if (status == FsStatus.Ok)
            status = EnsureListed(parent);
        if (status != FsStatus.Ok)
            return status;
        // rmdir of a directory the cache has not listed: only the origin knows whether it is empty.
        if (directory && Lookup(parent, name) is { IsOk: true, Value.IsDirectory: true } listedVictim)
            status = EnsureListed(listedVictim.Value.Id);
        if (status != FsStatus.Ok)
            return status;
        if (!directory && Leases is { } leases && Lookup(parent, name) is { IsOk: true } victim && victim.Value.OriginId != 0)
        {
            status = leases.AcquireForRemoval(victim.Value.Id);
            if (status != FsStatus.Ok)
                return status;
        }

        return Namespace(w =>
        {
            var found = w.LookupNode(parent, _names.Fold(name));
            if (found is not { } hit)
                return MissingChildStatus(w.GetNode(parent));
            if (directory != hit.Node.IsDirectory)
                return directory ? FsStatus.NotDirectory : FsStatus.IsDirectory;
            if (directory && w.HasEntries(hit.Node.Id))
                return FsStatus.NotEmpty;
            var now = Now();
            Queue(w, OutboxKind.Remove, hit.Node.Id, PathIn(w, parent, name), flags: directory ? 1 : 0, baseVersion: directory ? null : hit.Node.OriginVersion);
            w.DeleteEntry(hit.Entry);
            DropLinkInTransaction(w, hit.Node, now);
            TouchDirectory(w, parent, now, directory ? -1 : 0);
            return FsStatus.Ok;
        });
    }

    /// <summary>
    /// Runs a namespace change under the gate in one journal transaction, then deletes the content of nodes whose
    /// last name and last handle are gone. The commit happens before the caller gets its answer.
    /// </summary>
    private FsStatus Namespace(Func<JournalWriter, FsStatus> change)
    {
        lock (_gate)
        {
            var status = Guard(() =>
            {
                var writer = _journal.BeginWrite();
                try
                {
                    var result = change(writer);
                    if (result == FsStatus.Ok)
                        writer.Commit();
                    return result;
                }
                finally
                {
                    writer.End();
                }
            });
            FinishDrops(status == FsStatus.Ok);
            return status;
        }
    }

    private FsStatus CheckFreeName(JournalSession w, long parent, string name)
    {
        var dir = w.GetNode(parent);
        if (dir is null || dir.LinkCount == 0)
            return FsStatus.NotFound;
        if (!dir.IsDirectory)
            return FsStatus.NotDirectory;
        return w.LookupEntry(parent, _names.Fold(name)) is null ? FsStatus.Ok : FsStatus.Exists;
    }

    internal string FoldName(string name) => _names.Fold(name);

    /// <summary>A name in the directory appeared or went: mtime and ctime move, and the link count follows subdirectories.</summary>
    internal static void TouchDirectory(JournalWriter w, long directory, Timestamp now, int subdirectoryDelta)
    {
        var dir = w.GetNode(directory)!;
        w.UpdateNode(dir with
        {
            ModifyTime = now,
            ChangeTime = now,
            LinkCount = (uint)(dir.LinkCount + subdirectoryDelta),
        });
    }
}
