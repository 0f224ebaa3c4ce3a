using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct fuse_context</c>: who made the current request. Valid only inside a callback, on its thread.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseContext
{
    public nint Fuse;
    public uint Uid;
    public uint Gid;
    public int Pid;

    /// <summary>What we passed to fuse_new: a GCHandle to our <see cref="FuseHost"/>.</summary>
    public nint PrivateData;
    public uint Umask;
}
