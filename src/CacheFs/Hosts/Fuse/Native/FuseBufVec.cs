using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// libfuse 3.14's <c>struct fuse_bufvec</c> holding one <c>struct fuse_buf</c> (64 bytes): here always a range of an open
/// file, which fuse_reply_data splices into /dev/fuse without the bytes passing through our memory.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseBufVec
{
    /// <summary>fuse_buf_flags: the buffer is a file descriptor, read at <see cref="Position"/> rather than where it stands.</summary>
    public const int FUSE_BUF_IS_FD = 1 << 1;
    public const int FUSE_BUF_FD_SEEK = 1 << 2;

    public nuint Count;
    public nuint Index;
    public nuint Offset;

    public nuint Size;
    public int Flags;
    public nint Memory;
    public int Descriptor;
    public long Position;

    public static FuseBufVec OfFile(int descriptor, long position, int size) => new()
    {
        Count = 1,
        Size = (nuint)size,
        Flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK,
        Descriptor = descriptor,
        Position = position,
    };
}
