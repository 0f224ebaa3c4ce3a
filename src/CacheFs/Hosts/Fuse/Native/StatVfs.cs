using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>glibc's <c>struct statvfs</c> on x86_64 (112 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StatVfs
{
    public ulong BlockSize;
    public ulong FragmentSize;
    public ulong Blocks;
    public ulong FreeBlocks;
    public ulong AvailableBlocks;
    public ulong Files;
    public ulong FreeFiles;
    public ulong AvailableFiles;
    public ulong FileSystemId;
    public ulong Flags;
    public ulong MaxNameLength;
    private fixed int _spare[6];
}
