using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// <c>struct fuse_entry_param</c> (176 bytes): what lookup, mknod, mkdir, symlink, link, create and readdirplus tell the
/// kernel about a name. <see cref="Inode"/> 0 in a lookup reply is a negative entry, cached for <see cref="EntryTimeout"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseEntryParam
{
    public ulong Inode;

    /// <summary>Makes (inode, generation) unique for the file system's lifetime; our ids are never reused, so it is constant.</summary>
    public ulong Generation;
    public Stat Attributes;
    public double AttributeTimeout;
    public double EntryTimeout;
}
