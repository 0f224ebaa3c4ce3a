using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CacheFs.Origin.Storage;

/// <summary>
/// The few libc calls .NET has no API for: lstat with inode and nanosecond times (statx, whose layout is the same on
/// every Linux architecture), hard links, renameat2's no-replace and exchange, fsync of a directory, and copy_file_range.
/// </summary>
internal static partial class Native
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStatsAndBirth = 0xfff;
    public const uint RenameNoReplace = 1;
    public const uint RenameExchange = 2;
    public const int OReadOnlyCloseOnExec = 0x80000;

    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ENOTEMPTY = 39;
    public const int EDQUOT = 122;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>An in-kernel copy between two files (a reflink where the file system shares extents).</summary>
    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int fdIn, ref long offsetIn, int fdOut, ref long offsetOut, nuint length, uint flags);

    /// <summary>struct statx (256 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        public ushort Spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTime AccessTime;
        public StatxTime BirthTime;
        public StatxTime ChangeTime;
        public StatxTime ModifyTime;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;
        public Spare Padding;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StatxTime
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;

        public readonly long TotalNanoseconds => (Seconds * 1_000_000_000) + Nanoseconds;
    }

    [InlineArray(14)]
    public struct Spare
    {
        private ulong _element;
    }
}
