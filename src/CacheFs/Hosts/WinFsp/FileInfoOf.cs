using CacheFs.Nodes;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>The core's attributes as WinFsp's FileInfo, and the Windows attribute bits the core keeps.</summary>
internal static class FileInfoOf
{
    public const uint ReadOnly = 0x1;
    public const uint Hidden = 0x2;
    public const uint System = 0x4;
    public const uint Directory = 0x10;
    public const uint Archive = 0x20;
    public const uint Normal = 0x80;
    public const uint Temporary = 0x100;
    public const uint ReparsePoint = 0x400;
    public const uint NotContentIndexed = 0x2000;

    /// <summary>What a program may set and the core stores; directory comes from the node's kind, normal means "none".</summary>
    public const uint Settable = ReadOnly | Hidden | System | Archive | Temporary | NotContentIndexed;

    /// <summary>The allocation unit reported (sector size x sectors per unit, see WinFspMount): sizes round up to it.</summary>
    public const ulong AllocationUnit = 4096;

    public static FileInfo Node(NodeAttributes node)
    {
        var size = node.IsDirectory ? 0UL : (ulong)node.Size;
        return new FileInfo
        {
            FileAttributes = Attributes(node),
            AllocationSize = (size + AllocationUnit - 1) / AllocationUnit * AllocationUnit,
            FileSize = size,
            CreationTime = Time(node.BirthTime),
            LastAccessTime = Time(node.AccessTime),
            LastWriteTime = Time(node.ModifyTime),
            ChangeTime = Time(node.ChangeTime),
            IndexNumber = (ulong)node.Id,
            ReparseTag = node.Kind == NodeKind.Symlink ? SymlinkReparse.Tag : 0,
            HardLinks = 0, // Not reported: WinFsp leaves FileStandardInformation's link count to the kernel.
        };
    }

    /// <summary>
    /// A symlink is a reparse point, and a directory symlink too when Windows made it as one (the bit is kept on the
    /// node); a Linux client's symlink is a file symlink, since the core does not know what its target is.
    /// </summary>
    public static uint Attributes(NodeAttributes node)
    {
        var bits = (node.WindowsAttributes & Settable) | (node.IsDirectory ? Directory : 0);
        if (node.Kind == NodeKind.Symlink)
            bits |= ReparsePoint | (node.WindowsAttributes & Directory);
        return bits == 0 ? Normal : bits;
    }

    /// <summary>FILETIME of a time; a time before 1601 (FILETIME cannot hold it) is reported as 1601.</summary>
    public static ulong Time(Timestamp time) => (ulong)Math.Max(0, time.ToFileTime());

    /// <summary>
    /// A time SetBasicInfo gives: 0 leaves it, and so do -1 and -2 (NTFS's "stop/resume updating this time on writes",
    /// which the core, updating times itself, does not take).
    /// </summary>
    public static Timestamp? Given(ulong fileTime) =>
        fileTime is 0 or >= 0xFFFF_FFFF_FFFF_FFFE ? null : Timestamp.FromFileTime((long)Math.Min(fileTime, long.MaxValue));

    /// <summary>Attributes SetBasicInfo or Create gives, as the core stores them; null leaves them (0 or INVALID_FILE_ATTRIBUTES).</summary>
    public static uint? Given(uint attributes) => attributes is 0 or uint.MaxValue ? null : attributes & Settable;
}
