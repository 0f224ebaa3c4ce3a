using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct fuse_args</c>: an argv for fuse_session_new's option parser.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseArgs
{
    public int Count;
    public byte** Values;

    /// <summary>Non-zero when libfuse allocated <see cref="Values"/>; ours are allocated by us, so 0.</summary>
    public int Allocated;
}
