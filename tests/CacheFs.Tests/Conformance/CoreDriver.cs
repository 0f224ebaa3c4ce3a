using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// The driver on the core in-process: paths are walked component by component through <see cref="CacheVolume"/>, doing
/// what the kernel does on a mount (CoreDriver.Paths.cs), then the core is called as the FUSE host would call it.
/// </summary>
internal sealed partial class CoreDriver(CacheVolume volume, long root, ManualTime time) : IFileSystemDriver
{
    public void LetTimePass() => time.Advance(TimeSpan.FromSeconds(1));

    public FsResult<FileStat> Stat(string path) => StatOf(Walk(path, followLast: false));

    public FsStatus SetLength(string path, long size)
    {
        if (size < 0)
            return FsStatus.InvalidArgument; // truncate(2) refuses a negative size before looking at the path.
        return Change(path, followLast: true, new AttributeChanges { Size = size });
    }

    public FsStatus Chmod(string path, uint mode) => Change(path, followLast: true, new AttributeChanges { Mode = mode & 0xFFF });

    public FsStatus Chown(string path, uint uid, uint gid) =>
        Change(path, followLast: false, new AttributeChanges { Uid = uid == uint.MaxValue ? null : uid, Gid = gid == uint.MaxValue ? null : gid });

    public FsStatus SetTimes(string path, Timestamp? access, Timestamp? modify) =>
        Change(path, followLast: false, new AttributeChanges { AccessTime = access, ModifyTime = modify });

    public FsStatus SetTimesToNow(string path)
    {
        var now = volume.Now();
        return Change(path, followLast: false, new AttributeChanges { AccessTime = now, ModifyTime = now });
    }

    public FsStatus MakeDirectory(string path, uint mode = 0x1ED)
    {
        var status = ResolveParent(path, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;

        // mkdir(2) keeps the permission and sticky bits only (S_IRWXUGO | S_ISVTX).
        return IsDot(name) ? FsStatus.Exists : volume.MakeDirectory(parent, name, Owner(mode & 0x3FF)).Status;
    }

    public FsStatus RemoveDirectory(string path)
    {
        var status = ResolveParent(path, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;
        return name switch
        {
            "." => FsStatus.InvalidArgument,
            ".." => FsStatus.NotEmpty,
            _ => volume.RemoveDirectory(parent, name),
        };
    }

    public FsResult<IReadOnlyList<string>> ReadDirectory(string path)
    {
        var directory = Walk(path, followLast: true);
        if (!directory.IsOk)
            return directory.Status;
        var names = new List<string>();
        for (long cookie = 0; ;)
        {
            var page = volume.ReadDirectory(directory.Value.Id, cookie, 64);
            if (!page.IsOk)
                return page.Status;
            if (page.Value.Count == 0)
                return names;
            names.AddRange(page.Value.Select(e => e.Name));
            cookie = page.Value[^1].Cookie;
        }
    }

    public FsStatus Unlink(string path)
    {
        var status = ResolveParent(path, out var parent, out var name, out var slash);
        if (status != FsStatus.Ok)
            return status;
        if (IsDot(name))
            return FsStatus.IsDirectory;
        if (slash)
        {
            var node = Walk(path, followLast: false);
            return !node.IsOk ? node.Status : node.Value.IsDirectory ? FsStatus.IsDirectory : FsStatus.NotDirectory;
        }

        return volume.Unlink(parent, name);
    }

    public FsStatus Rename(string from, string to, RenameMode mode = RenameMode.Replace)
    {
        var status = ResolveParent(from, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;
        status = ResolveParent(to, out var newParent, out var newName, out _);
        if (status != FsStatus.Ok)
            return status;

        // renameat2(2) never hands "." or ".." to a file system: EBUSY, or EEXIST for RENAME_NOREPLACE onto one.
        if (IsDot(name))
            return FsStatus.Busy;
        if (IsDot(newName))
            return mode == RenameMode.NoReplace ? FsStatus.Exists : FsStatus.Busy;
        return volume.Rename(parent, name, newParent, newName, mode);
    }

    public FsStatus Link(string existing, string newPath)
    {
        var node = Walk(existing, followLast: false);
        if (!node.IsOk)
            return node.Status;
        var status = ResolveParent(newPath, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;
        return IsDot(name) ? FsStatus.Exists : volume.Link(node.Value.Id, parent, name).Status;
    }

    public FsStatus Symlink(string target, string path)
    {
        if (target.Length == 0)
            return FsStatus.NotFound; // The kernel refuses an empty target string as it refuses an empty path.
        var status = ResolveParent(path, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;
        return IsDot(name) ? FsStatus.Exists : volume.MakeSymlink(parent, name, target, Owner(0x1FF)).Status;
    }

    public FsResult<string> ReadLink(string path)
    {
        var node = Walk(path, followLast: false);
        return node.IsOk ? volume.ReadLink(node.Value.Id) : node.Status;
    }

    public FsStatus MakeFifo(string path, uint mode)
    {
        var status = ResolveParent(path, out var parent, out var name, out _);
        if (status != FsStatus.Ok)
            return status;
        return IsDot(name) ? FsStatus.Exists : volume.MakeNode(parent, name, NodeKind.Fifo, Owner(mode & 0xFFF)).Status;
    }

    public FsStatus SetXattr(string path, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.CreateOrReplace)
    {
        var node = Walk(path, followLast: false);
        if (!node.IsOk)
            return node.Status;
        return UserXattrRefused(node.Value, name) ? FsStatus.NotPermitted : volume.SetXattr(node.Value.Id, name, value, mode);
    }

    public FsResult<byte[]> GetXattr(string path, string name)
    {
        var node = Walk(path, followLast: false);
        if (!node.IsOk)
            return node.Status;
        return UserXattrRefused(node.Value, name) ? FsStatus.NoAttribute : volume.GetXattr(node.Value.Id, name);
    }

    public FsResult<IReadOnlyList<string>> ListXattrs(string path)
    {
        var node = Walk(path, followLast: false);
        return node.IsOk ? volume.ListXattrs(node.Value.Id) : node.Status;
    }

    public FsStatus RemoveXattr(string path, string name)
    {
        var node = Walk(path, followLast: false);
        if (!node.IsOk)
            return node.Status;
        return UserXattrRefused(node.Value, name) ? FsStatus.NotPermitted : volume.RemoveXattr(node.Value.Id, name);
    }

    public FsResult<SpaceStat> StatFs()
    {
        var stats = volume.GetStatistics();
        if (!stats.TryGet(out var s))
            return stats.Status;
        return new SpaceStat(s.BlockSize, s.TotalBytes, s.FreeBytes, s.AvailableBytes, s.Nodes + s.FreeNodes, s.FreeNodes, s.MaxNameLength);
    }

    /// <summary>A new node as the FUSE host makes it for this caller: its ids, the permissions less its umask.</summary>
    private static NewNode Owner(uint permissions) => new(Caller.Masked(permissions), Caller.Uid, Caller.Gid);

    private static FsResult<FileStat> StatOf(FsResult<NodeAttributes> node) => node.IsOk ? FileStat.Of(node.Value) : node.Status;

    private FsStatus Change(string path, bool followLast, AttributeChanges changes)
    {
        var node = Walk(path, followLast);
        return node.IsOk ? volume.SetAttributes(node.Value.Id, changes).Status : node.Status;
    }
}
