using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// The kernel's share of a system call, which the FUSE host never sees and so the core does not do either: walking a
/// path ("." and "..", symlinks in the middle, a trailing slash), and the rules the VFS applies before calling a file
/// system (what "." and ".." as a last component mean to each call, user.* attributes only on files and directories).
/// </summary>
internal sealed partial class CoreDriver
{
    /// <summary>The kernel's MAXSYMLINKS.</summary>
    private const int MaxSymlinkHops = 40;

    private static bool IsDot(string name) => name is "." or "..";

    /// <summary>xattr_permission(): user.* belongs to files and directories; elsewhere a write is EPERM and a read ENODATA.</summary>
    private static bool UserXattrRefused(NodeAttributes node, string name) =>
        name.StartsWith("user.", StringComparison.Ordinal) && node.Kind is not (NodeKind.File or NodeKind.Directory);

    private static (string[] Parts, bool TrailingSlash) Split(string path) =>
        (path.Split('/', StringSplitOptions.RemoveEmptyEntries), path.EndsWith('/'));

    /// <summary>The node a path names; symlinks are followed in every component but the last, and in the last if asked or if a slash ends the path.</summary>
    private FsResult<NodeAttributes> Walk(string path, bool followLast)
    {
        var hops = 0;
        return Walk(root, path, followLast, ref hops);
    }

    private FsResult<NodeAttributes> Walk(long start, string path, bool followLast, ref int hops)
    {
        var (parts, slash) = Split(path);
        var current = volume.GetAttributes(start);
        for (var i = 0; i < parts.Length && current.IsOk; i++)
        {
            if (!current.Value.IsDirectory)
                return FsStatus.NotDirectory;
            if (parts[i] == ".")
                continue;
            if (parts[i] == "..")
            {
                current = volume.GetAttributes(current.Value.Parent);
                continue;
            }

            var next = volume.Lookup(current.Value.Id, parts[i]);
            var last = i == parts.Length - 1;
            if (next.IsOk && next.Value.Kind == NodeKind.Symlink && (!last || followLast || slash))
                next = Follow(current.Value.Id, next.Value.Id, ref hops);
            current = next;
        }

        if (current.IsOk && slash && !current.Value.IsDirectory)
            return FsStatus.NotDirectory;
        return current;
    }

    private FsResult<NodeAttributes> Follow(long directory, long link, ref int hops)
    {
        if (++hops > MaxSymlinkHops)
            return FsStatus.TooManyLinks; // ELOOP has no FsStatus; no case makes a loop.
        var target = volume.ReadLink(link);
        if (!target.IsOk)
            return target.Status;

        // An absolute target names the host's root, which the core cannot see; the cases use relative targets.
        return target.Value.StartsWith('/') ? FsStatus.NotSupported : Walk(directory, target.Value, followLast: true, ref hops);
    }

    /// <summary>The directory holding the last component, and that component as written ("." for the directory itself).</summary>
    private FsStatus ResolveParent(string path, out long parent, out string name, out bool trailingSlash)
    {
        var (parts, slash) = Split(path);
        parent = 0;
        name = parts.Length == 0 ? "." : parts[^1];
        trailingSlash = slash;
        var directory = Walk(string.Join('/', parts.SkipLast(1)), followLast: true);
        if (!directory.IsOk)
            return directory.Status;
        if (!directory.Value.IsDirectory)
            return FsStatus.NotDirectory;
        parent = directory.Value.Id;
        return FsStatus.Ok;
    }

    /// <summary>open(O_CREAT) without O_EXCL of an existing symlink opens what it points to.</summary>
    private bool IsSymlinkToFollow(string path, OpenMode mode) =>
        !mode.HasFlag(OpenMode.Exclusive) && Walk(path, followLast: false) is { IsOk: true, Value.Kind: NodeKind.Symlink };
}
