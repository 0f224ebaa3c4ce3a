using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>glibc's <c>struct stat</c> on x86_64 (144 bytes). Checked against the C header by NativeLayoutTests.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Stat
{
    public ulong Device;
    public ulong Inode;
    public ulong LinkCount;
    public uint Mode;
    public uint Uid;
    public uint Gid;
    private readonly int _pad0;
    public ulong RawDevice;
    public long Size;
    public long BlockSize;

    /// <summary>512-byte units, whatever <see cref="BlockSize"/> says.</summary>
    public long Blocks;
    public Timespec AccessTime;
    public Timespec ModifyTime;
    public Timespec ChangeTime;
    private fixed long _reserved[3];
}
