using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;

namespace CacheFs.Hosts.Fuse;

/// <summary>getattr, chmod, chown, truncate, utimens, statfs.</summary>
internal sealed unsafe partial class FuseHost
{
    /// <summary>st_blksize: stdio and cp size their buffers by it, so a larger one means fewer requests.</summary>
    private const int PreferredIoSize = 128 * 1024;

    [UnmanagedCallersOnly]
    private static int OnGetattr(byte* path, Stat* stat, FuseFileInfo* fi)
    {
        try
        {
            return Current.Getattr(path, stat, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnChmod(byte* path, uint mode, FuseFileInfo* fi)
    {
        try
        {
            return Current.SetAttributes(path, fi, new AttributeChanges { Mode = mode & Posix.PermissionBits });
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnChown(byte* path, uint uid, uint gid, FuseFileInfo* fi)
    {
        try
        {
            var changes = new AttributeChanges { Uid = uid == uint.MaxValue ? null : uid, Gid = gid == uint.MaxValue ? null : gid };
            return Current.SetAttributes(path, fi, changes);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnTruncate(byte* path, long size, FuseFileInfo* fi)
    {
        try
        {
            return Current.SetAttributes(path, fi, new AttributeChanges { Size = size });
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnUtimens(byte* path, Timespec* times, FuseFileInfo* fi)
    {
        try
        {
            return Current.Utimens(path, times, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnStatfs(byte* path, StatVfs* stat)
    {
        try
        {
            return Current.Statfs(stat);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    private int Getattr(byte* path, Stat* stat, FuseFileInfo* fi)
    {
        var node = NodeOf(path, fi);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        Fill(stat, node.Value);
        return 0;
    }

    private int SetAttributes(byte* path, FuseFileInfo* fi, AttributeChanges changes)
    {
        var node = NodeOf(path, fi);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        return Errno.Reply(_volume.SetAttributes(node.Value.Id, changes).Status);
    }

    private int Utimens(byte* path, Timespec* times, FuseFileInfo* fi)
    {
        var now = _volume.Now();
        var changes = times is null
            ? new AttributeChanges { AccessTime = now, ModifyTime = now }
            : new AttributeChanges { AccessTime = TimeOf(times[0], now), ModifyTime = TimeOf(times[1], now) };
        return SetAttributes(path, fi, changes);
    }

    private int Statfs(StatVfs* stat)
    {
        var stats = _volume.GetStatistics();
        if (!stats.TryGet(out var s))
            return Errno.Reply(stats.Status);
        *stat = default;
        stat->BlockSize = stat->FragmentSize = (ulong)s.BlockSize;
        stat->Blocks = (ulong)(s.TotalBytes / s.BlockSize);
        stat->FreeBlocks = (ulong)(s.FreeBytes / s.BlockSize);
        stat->AvailableBlocks = (ulong)(s.AvailableBytes / s.BlockSize);
        stat->Files = (ulong)(s.Nodes + s.FreeNodes);
        stat->FreeFiles = stat->AvailableFiles = (ulong)s.FreeNodes;
        stat->MaxNameLength = (ulong)s.MaxNameLength;
        return 0;
    }

    private static Timestamp? TimeOf(Timespec time, Timestamp now) => time.Nanoseconds switch
    {
        Timespec.UtimeOmit => null,
        Timespec.UtimeNow => now,
        _ => Timestamp.FromUnix(time.Seconds, time.Nanoseconds),
    };

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
