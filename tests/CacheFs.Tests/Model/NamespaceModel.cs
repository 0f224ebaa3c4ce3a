using System.Text;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>
/// A tiny in-memory POSIX namespace with file contents, symlinks, hard links and xattrs: what <see cref="CacheVolume"/>
/// must be equivalent to. Each operation returns the status POSIX (Linux, where POSIX leaves a choice) gives.
/// </summary>
/// <remarks>
/// Where one call breaks two rules at once, POSIX lets the system report either; the model then takes the volume's
/// documented order of checks (names first, then the source, then the target). Choices the model makes that POSIX does
/// not dictate: opening a symlink is <see cref="FsStatus.InvalidArgument"/> (hosts resolve links before open), and a
/// case-insensitive volume compares names by their invariant upper case and keeps the spelling given at creation or by
/// the last rename.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Operations are called on the model as on a volume.")]
internal sealed partial class NamespaceModel
{
    private readonly bool _caseSensitive;
    private int _nextSerial = 1;

    public NamespaceModel(bool caseSensitive)
    {
        _caseSensitive = caseSensitive;
        Root = new ModelNode(_nextSerial++, NodeKind.Directory);
    }

    public ModelNode Root { get; }

    public List<ModelHandle> Handles { get; } = [];

    public string Fold(string name) => _caseSensitive ? name : name.ToUpperInvariant();

    public static FsStatus ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or "..")
            return FsStatus.InvalidName;
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            return FsStatus.InvalidName;
        return Encoding.UTF8.GetByteCount(name) > 255 ? FsStatus.NameTooLong : FsStatus.Ok;
    }

    /// <summary>Walks a '/'-separated path from the root without following symlinks.</summary>
    public FsResult<ModelNode> Resolve(string path)
    {
        FsResult<ModelNode> current = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!current.IsOk)
                return current;
            if (!current.Value.IsDirectory)
                return FsStatus.NotDirectory;
            current = Lookup(current.Value, part);
        }

        return current;
    }

    /// <summary>Every named node with its path, parents before children.</summary>
    public List<(string Path, ModelNode Node)> Walk()
    {
        var all = new List<(string, ModelNode)>();
        var pending = new Stack<(string Path, ModelNode Dir)>();
        pending.Push(("", Root));
        while (pending.TryPop(out var at))
        {
            foreach (var entry in at.Dir.Children.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var path = at.Path.Length == 0 ? entry.Name : at.Path + "/" + entry.Name;
                all.Add((path, entry.Node));
                if (entry.Node.IsDirectory)
                    pending.Push((path, entry.Node));
            }
        }

        return all;
    }

    public FsResult<ModelNode> Lookup(ModelNode parent, string name)
    {
        var status = ValidateName(name);
        if (status != FsStatus.Ok)
            return status;
        if (EntryOf(parent, name) is { } entry)
            return entry.Node;
        return MissingChildStatus(parent);
    }

    public FsResult<ModelNode> GetAttributes(ModelNode node) => node.Visible ? node : FsStatus.NotFound;

    public FsResult<ModelHandle> Create(ModelNode parent, string name, OpenFlags flags, bool exclusive)
    {
        var existing = Lookup(parent, name);
        if (existing.IsOk)
        {
            if (exclusive)
                return FsStatus.Exists;
            return existing.Value.IsDirectory ? FsStatus.IsDirectory : Open(existing.Value, flags);
        }

        if (existing.Status != FsStatus.NotFound)
            return existing.Status;
        var created = AddNode(parent, name, NodeKind.File, "");
        return created.IsOk ? Open(created.Value, flags & ~OpenFlags.Truncate) : created.Status;
    }

    public FsStatus MakeDirectory(ModelNode parent, string name) => AddNode(parent, name, NodeKind.Directory, "").Status;

    /// <summary>mknod of a fifo, socket or device: a name and attributes, no content.</summary>
    public FsStatus MakeNode(ModelNode parent, string name, NodeKind kind) =>
        kind is NodeKind.Directory or NodeKind.Symlink ? FsStatus.InvalidArgument : AddNode(parent, name, kind, "").Status;

    public FsStatus MakeSymlink(ModelNode parent, string name, string target)
    {
        if (string.IsNullOrEmpty(target) || target.Contains('\0', StringComparison.Ordinal))
            return FsStatus.InvalidArgument;
        if (Encoding.UTF8.GetByteCount(target) > CacheVolume.MaxSymlinkTarget)
            return FsStatus.NameTooLong;
        return AddNode(parent, name, NodeKind.Symlink, target).Status;
    }

    public FsStatus Link(ModelNode node, ModelNode newParent, string newName)
    {
        var status = ValidateName(newName);
        if (status != FsStatus.Ok)
            return status;
        if (!node.Visible || (!node.IsDirectory && node.Names == 0))
            return FsStatus.NotFound;
        if (node.IsDirectory)
            return FsStatus.NotPermitted;
        status = CheckFreeName(newParent, newName);
        if (status != FsStatus.Ok)
            return status;
        newParent.Children[Fold(newName)] = new ModelEntry(newName, node);
        node.Names++;
        return FsStatus.Ok;
    }

    public FsStatus Unlink(ModelNode parent, string name) => RemoveName(parent, name, directory: false);

    public FsStatus RemoveDirectory(ModelNode parent, string name) => RemoveName(parent, name, directory: true);

    public FsStatus Rename(ModelNode parent, string name, ModelNode newParent, string newName, RenameMode mode)
    {
        var status = ValidateName(name);
        if (status == FsStatus.Ok)
            status = ValidateName(newName);
        if (status != FsStatus.Ok)
            return status;
        if (EntryOf(parent, name) is not { } source)
            return MissingChildStatus(parent);
        if (!newParent.Visible)
            return FsStatus.NotFound;
        if (!newParent.IsDirectory)
            return FsStatus.NotDirectory;
        if (source.Node.IsDirectory && IsInSubtree(newParent, source.Node))
            return FsStatus.InvalidArgument;
        var target = EntryOf(newParent, newName);
        if (mode == RenameMode.Exchange)
            return target is null ? FsStatus.NotFound : Exchange(parent, source, newParent, target);

        if (target is not null)
        {
            if (ReferenceEquals(target, source))
            {
                // renameat2(NOREPLACE) onto its own exact name is EEXIST; a respelling (case-insensitive volume) is allowed.
                if (mode == RenameMode.NoReplace && source.Name == newName)
                    return FsStatus.Exists;

                // The same name (a case-insensitive volume may respell it): nothing else changes.
                source.Name = newName;
                return FsStatus.Ok;
            }

            if (mode == RenameMode.NoReplace)
                return FsStatus.Exists;
            if (ReferenceEquals(target.Node, source.Node))
                return FsStatus.Ok; // Two names of one file: POSIX says succeed and do nothing.
            if (source.Node.IsDirectory && !target.Node.IsDirectory)
                return FsStatus.NotDirectory;
            if (!source.Node.IsDirectory && target.Node.IsDirectory)
                return FsStatus.IsDirectory;
            if (target.Node.IsDirectory && target.Node.Children.Count > 0)
                return FsStatus.NotEmpty;
            newParent.Children.Remove(Fold(newName));
            DropName(target.Node);
        }

        parent.Children.Remove(Fold(name));
        source.Name = newName;
        newParent.Children[Fold(newName)] = source;
        if (source.Node.IsDirectory)
            source.Node.Parent = newParent;
        return FsStatus.Ok;
    }

    private static FsStatus Exchange(ModelNode parent, ModelEntry a, ModelNode newParent, ModelEntry b)
    {
        if (ReferenceEquals(a, b))
            return FsStatus.Ok;
        if (b.Node.IsDirectory && IsInSubtree(parent, b.Node))
            return FsStatus.InvalidArgument;
        (a.Node, b.Node) = (b.Node, a.Node);
        if (a.Node.IsDirectory)
            a.Node.Parent = parent;
        if (b.Node.IsDirectory)
            b.Node.Parent = newParent;
        return FsStatus.Ok;
    }

    private FsResult<ModelNode> AddNode(ModelNode parent, string name, NodeKind kind, string target)
    {
        var status = ValidateName(name);
        if (status == FsStatus.Ok)
            status = CheckFreeName(parent, name);
        if (status != FsStatus.Ok)
            return status;
        var node = new ModelNode(_nextSerial++, kind, target);
        if (kind == NodeKind.Directory)
            node.Parent = parent;
        else
            node.Names = 1;
        parent.Children[Fold(name)] = new ModelEntry(name, node);
        return node;
    }

    private FsStatus RemoveName(ModelNode parent, string name, bool directory)
    {
        var status = ValidateName(name);
        if (status != FsStatus.Ok)
            return status;
        if (EntryOf(parent, name) is not { } entry)
            return MissingChildStatus(parent);
        if (directory != entry.Node.IsDirectory)
            return directory ? FsStatus.NotDirectory : FsStatus.IsDirectory;
        if (directory && entry.Node.Children.Count > 0)
            return FsStatus.NotEmpty;
        parent.Children.Remove(Fold(name));
        DropName(entry.Node);
        return FsStatus.Ok;
    }

    private static void DropName(ModelNode node)
    {
        if (node.IsDirectory)
            node.Removed = true;
        else
            node.Names--;
    }

    private FsStatus CheckFreeName(ModelNode parent, string name)
    {
        if (!parent.Visible || parent.LinkCount == 0)
            return FsStatus.NotFound;
        if (!parent.IsDirectory)
            return FsStatus.NotDirectory;
        return parent.Children.ContainsKey(Fold(name)) ? FsStatus.Exists : FsStatus.Ok;
    }

    private ModelEntry? EntryOf(ModelNode parent, string name) =>
        parent.IsDirectory && parent.Visible && parent.Children.TryGetValue(Fold(name), out var entry) ? entry : null;

    /// <summary>Why a name is missing: a parent that is gone is NotFound, one that is not a directory NotDirectory.</summary>
    private static FsStatus MissingChildStatus(ModelNode parent) =>
        !parent.Visible || parent.IsDirectory ? FsStatus.NotFound : FsStatus.NotDirectory;

    private static bool IsInSubtree(ModelNode directory, ModelNode ancestor)
    {
        for (var at = directory; at is not null; at = at.Parent)
        {
            if (ReferenceEquals(at, ancestor))
                return true;
        }

        return false;
    }
}
