using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct fuse_ctx</c>: who made a request (fuse_req_ctx). Valid until the request is answered.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseCtx
{
    public uint Uid;
    public uint Gid;
    public int Pid;

    /// <summary>The caller's umask, for create, mknod and mkdir (the kernel has applied it to the mode already).</summary>
    public uint Umask;
}
