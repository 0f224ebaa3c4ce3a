using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;

namespace CacheFs.Hosts.Fuse;

/// <summary>getattr, setattr (mode, owner, size, times), statfs.</summary>
internal sealed unsafe partial class FuseHost
{
    /// <summary>st_blksize: stdio and cp size their buffers by it, so a larger one means fewer requests.</summary>
    private const int PreferredIoSize = 128 * 1024;

    [UnmanagedCallersOnly]
    private static void OnGetattr(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Getattr(request, inode));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnSetattr(nint request, ulong inode, Stat* attributes, int toSet, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Setattr(request, inode, attributes, toSet));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnStatfs(nint request, ulong inode)
    {
        try
        {
            Finish(request, Of(request).Statfs(request));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    /// <summary>By inode, so fstat of a file whose last name is gone still works: the core keeps it while it is open.</summary>
    private int Getattr(nint request, ulong inode)
    {
        var node = _volume.GetAttributes((long)inode);
        return node.IsOk ? ReplyAttributes(request, node.Value) : Errno.Of(node.Status);
    }

    private int Setattr(nint request, ulong inode, Stat* attributes, int toSet)
    {
        var now = _volume.Now();
        var changes = new AttributeChanges
        {
            Mode = Has(toSet, FuseFlags.FUSE_SET_ATTR_MODE) ? attributes->Mode & Posix.PermissionBits : null,
            Uid = Has(toSet, FuseFlags.FUSE_SET_ATTR_UID) ? attributes->Uid : null,
            Gid = Has(toSet, FuseFlags.FUSE_SET_ATTR_GID) ? attributes->Gid : null,
            Size = Has(toSet, FuseFlags.FUSE_SET_ATTR_SIZE) ? attributes->Size : null,
            AccessTime = TimeOf(toSet, FuseFlags.FUSE_SET_ATTR_ATIME, FuseFlags.FUSE_SET_ATTR_ATIME_NOW, attributes->AccessTime, now),
            ModifyTime = TimeOf(toSet, FuseFlags.FUSE_SET_ATTR_MTIME, FuseFlags.FUSE_SET_ATTR_MTIME_NOW, attributes->ModifyTime, now),
        };
        var updated = _volume.SetAttributes((long)inode, changes);
        return updated.IsOk ? ReplyAttributes(request, updated.Value) : Errno.Of(updated.Status);
    }

    private int Statfs(nint request)
    {
        var stats = _volume.GetStatistics();
        if (!stats.TryGet(out var s))
            return Errno.Of(stats.Status);
        var stat = new StatVfs
        {
            BlockSize = (ulong)s.BlockSize,
            FragmentSize = (ulong)s.BlockSize,
            Blocks = (ulong)(s.TotalBytes / s.BlockSize),
            FreeBlocks = (ulong)(s.FreeBytes / s.BlockSize),
            AvailableBlocks = (ulong)(s.AvailableBytes / s.BlockSize),
            Files = (ulong)(s.Nodes + s.FreeNodes),
            FreeFiles = (ulong)s.FreeNodes,
            AvailableFiles = (ulong)s.FreeNodes,
            MaxNameLength = (ulong)s.MaxNameLength,
        };
        _ = LibFuse.ReplyStatfs(request, &stat);
        return Replied;
    }

    private int ReplyAttributes(nint request, NodeAttributes node)
    {
        Stat stat;
        Fill(&stat, node);
        _ = LibFuse.ReplyAttributes(request, &stat, _options.AttributeTimeout.TotalSeconds);
        return Replied;
    }

    private static bool Has(int toSet, int flag) => (toSet & flag) != 0;

    private static Timestamp? TimeOf(int toSet, int given, int toNow, Timespec time, Timestamp now) =>
        Has(toSet, toNow) ? now : Has(toSet, given) ? Timestamp.FromUnix(time.Seconds, time.Nanoseconds) : null;

    internal static void Fill(Stat* stat, NodeAttributes node)
    {
        *stat = default;
        stat->Inode = (ulong)node.Id;
        stat->Mode = TypeBits(node.Kind) | (node.Mode & Posix.PermissionBits);
        stat->LinkCount = node.LinkCount;
        stat->Uid = node.Uid;
        stat->Gid = node.Gid;
        stat->RawDevice = node.DeviceNumber;
        stat->Size = node.Size;
        stat->BlockSize = PreferredIoSize;

        // Blocks by size, not by what is cached: tools take st_blocks < size as "sparse" and may skip the bytes.
        stat->Blocks = (node.Size + 511) / 512;
        stat->AccessTime = Spec(node.AccessTime);
        stat->ModifyTime = Spec(node.ModifyTime);
        stat->ChangeTime = Spec(node.ChangeTime);
    }

    internal static uint TypeBits(NodeKind kind) => kind switch
    {
        NodeKind.File => Posix.S_IFREG,
        NodeKind.Directory => Posix.S_IFDIR,
        NodeKind.Symlink => Posix.S_IFLNK,
        NodeKind.Fifo => Posix.S_IFIFO,
        NodeKind.Socket => Posix.S_IFSOCK,
        NodeKind.CharDevice => Posix.S_IFCHR,
        NodeKind.BlockDevice => Posix.S_IFBLK,
        _ => 0,
    };

    private static Timespec Spec(Timestamp time) => new() { Seconds = time.Seconds, Nanoseconds = time.NanosecondPart };
}
