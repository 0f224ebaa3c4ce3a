using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// libfuse 3.14's <c>struct fuse_operations</c>: 42 function pointers in header order (336 bytes). Slots we leave null
/// are typed <see cref="nint"/>; libfuse then answers ENOSYS or, for lock and flock, leaves locking to the kernel.
/// </summary>
/// <remarks>C types on x86_64: mode_t, uid_t, gid_t = uint; dev_t = ulong; off_t = long; size_t = nuint; ssize_t = nint.</remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseOperations
{
    public delegate* unmanaged<byte*, Stat*, FuseFileInfo*, int> Getattr;
    public delegate* unmanaged<byte*, byte*, nuint, int> Readlink;
    public delegate* unmanaged<byte*, uint, ulong, int> Mknod;
    public delegate* unmanaged<byte*, uint, int> Mkdir;
    public delegate* unmanaged<byte*, int> Unlink;
    public delegate* unmanaged<byte*, int> Rmdir;
    public delegate* unmanaged<byte*, byte*, int> Symlink;
    public delegate* unmanaged<byte*, byte*, uint, int> Rename;
    public delegate* unmanaged<byte*, byte*, int> Link;
    public delegate* unmanaged<byte*, uint, FuseFileInfo*, int> Chmod;
    public delegate* unmanaged<byte*, uint, uint, FuseFileInfo*, int> Chown;
    public delegate* unmanaged<byte*, long, FuseFileInfo*, int> Truncate;
    public delegate* unmanaged<byte*, FuseFileInfo*, int> Open;
    public delegate* unmanaged<byte*, byte*, nuint, long, FuseFileInfo*, int> Read;
    public delegate* unmanaged<byte*, byte*, nuint, long, FuseFileInfo*, int> Write;
    public delegate* unmanaged<byte*, StatVfs*, int> Statfs;
    public delegate* unmanaged<byte*, FuseFileInfo*, int> Flush;
    public delegate* unmanaged<byte*, FuseFileInfo*, int> Release;
    public delegate* unmanaged<byte*, int, FuseFileInfo*, int> Fsync;
    public delegate* unmanaged<byte*, byte*, byte*, nuint, int, int> Setxattr;
    public delegate* unmanaged<byte*, byte*, byte*, nuint, int> Getxattr;
    public delegate* unmanaged<byte*, byte*, nuint, int> Listxattr;
    public delegate* unmanaged<byte*, byte*, int> Removexattr;
    public delegate* unmanaged<byte*, FuseFileInfo*, int> Opendir;
    public delegate* unmanaged<byte*, void*, delegate* unmanaged<void*, byte*, Stat*, long, int, int>, long, FuseFileInfo*, int, int> Readdir;
    public delegate* unmanaged<byte*, FuseFileInfo*, int> Releasedir;
    public delegate* unmanaged<byte*, int, FuseFileInfo*, int> Fsyncdir;
    public delegate* unmanaged<FuseConnInfo*, FuseConfig*, nint> Init;
    public delegate* unmanaged<nint, void> Destroy;

    /// <summary>Unused: with default_permissions the kernel checks access itself.</summary>
    public nint Access;
    public delegate* unmanaged<byte*, uint, FuseFileInfo*, int> Create;

    /// <summary>Null on purpose: libfuse then does not ask for FUSE_CAP_POSIX_LOCKS and the kernel keeps fcntl locks locally.</summary>
    public nint Lock;
    public delegate* unmanaged<byte*, Timespec*, FuseFileInfo*, int> Utimens;
    public nint Bmap;
    public nint Ioctl;
    public nint Poll;
    public nint WriteBuf;
    public nint ReadBuf;

    /// <summary>Null on purpose: without FUSE_CAP_FLOCK_LOCKS the kernel keeps flock locks locally.</summary>
    public nint Flock;
    public delegate* unmanaged<byte*, int, long, long, FuseFileInfo*, int> Fallocate;
    public delegate* unmanaged<byte*, FuseFileInfo*, long, byte*, FuseFileInfo*, long, nuint, int, nint> CopyFileRange;
    public nint Lseek;
}
