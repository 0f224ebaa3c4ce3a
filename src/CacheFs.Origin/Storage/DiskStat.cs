using CacheFs.Protocol;

namespace CacheFs.Origin.Storage;

/// <summary>What lstat says about one entry on the origin's disk.</summary>
internal sealed record DiskStat(RemoteKind Kind, long Size, long ModifyTimeNs, long AccessTimeNs, long ChangeTimeNs, long BirthTimeNs, ulong Inode, ulong Device, uint Mode, uint Uid, uint Gid, uint LinkCount, ulong DeviceNumber)
{
    private const uint TypeMask = 0xF000;

    public Fingerprint Fingerprint => new(Size, ModifyTimeNs, (long)Inode);

    public static DiskStat From(in Native.StatxBuffer s) => new(
        KindOf(s.Mode),
        (long)s.Size,
        s.ModifyTime.TotalNanoseconds,
        s.AccessTime.TotalNanoseconds,
        s.ChangeTime.TotalNanoseconds,
        s.BirthTime.TotalNanoseconds,
        s.Inode,
        ((ulong)s.DevMajor << 32) | s.DevMinor,
        s.Mode & 0xFFFu,
        s.Uid,
        s.Gid,
        s.LinkCount,
        ((ulong)s.RdevMajor << 32) | s.RdevMinor);

    /// <summary>For platforms without statx: what FileSystemInfo tells (no inode, so hard links are not recognised).</summary>
    public static DiskStat From(FileSystemInfo info)
    {
        var kind = info.LinkTarget is not null ? RemoteKind.Symlink : info is DirectoryInfo ? RemoteKind.Directory : RemoteKind.File;
        var size = info is FileInfo file && kind == RemoteKind.File ? file.Length : 0;
        var mtime = (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        var atime = (info.LastAccessTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        var birth = (info.CreationTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        var mode = OperatingSystem.IsWindows() ? (kind == RemoteKind.Directory ? 0x1EDu : 0x1A4u) : (uint)info.UnixFileMode;
        return new DiskStat(kind, size, mtime, atime, mtime, birth, 0, 0, mode, 0, 0, 1, 0);
    }

    private static RemoteKind KindOf(ushort mode) => (mode & TypeMask) switch
    {
        0x4000 => RemoteKind.Directory,
        0xA000 => RemoteKind.Symlink,
        0x1000 => RemoteKind.Fifo,
        0xC000 => RemoteKind.Socket,
        0x2000 => RemoteKind.CharDevice,
        0x6000 => RemoteKind.BlockDevice,
        _ => RemoteKind.File,
    };
}

/// <summary>What tells a file changed behind the origin's back: size, modification time and inode.</summary>
internal readonly record struct Fingerprint(long Size, long ModifyTimeNs, long Inode);
