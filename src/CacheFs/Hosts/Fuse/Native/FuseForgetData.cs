using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct fuse_forget_data</c>: one inode of a forget_multi and how many lookups the kernel drops.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseForgetData
{
    public ulong Inode;
    public ulong LookupCount;
}
