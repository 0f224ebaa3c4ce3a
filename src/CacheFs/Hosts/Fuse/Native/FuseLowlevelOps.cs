using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// libfuse 3.14's <c>struct fuse_lowlevel_ops</c>: 44 function pointers in header order (352 bytes). Every callback
/// gets the request (<c>fuse_req_t</c>, a <see cref="nint"/>) and answers it exactly once with a fuse_reply_* call,
/// possibly later and from another thread. Slots we leave null are typed <see cref="nint"/>; libfuse then answers
/// ENOSYS or, for the lock slots, does not ask the kernel to send locks at all.
/// </summary>
/// <remarks>C types on x86_64: fuse_ino_t, dev_t = ulong; mode_t = uint; off_t = long; size_t = nuint.</remarks>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseLowlevelOps
{
    /// <summary>(userdata, conn): the kernel's INIT, before any request.</summary>
    public delegate* unmanaged<nint, FuseConnInfo*, void> Init;
    public delegate* unmanaged<nint, void> Destroy;

    /// <summary>(req, parent, name).</summary>
    public delegate* unmanaged<nint, ulong, byte*, void> Lookup;

    /// <summary>(req, ino, nlookup): answered with fuse_reply_none.</summary>
    public delegate* unmanaged<nint, ulong, ulong, void> Forget;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Getattr;

    /// <summary>(req, ino, attr, to_set, fi): FUSE_SET_ATTR_* in to_set say which members of attr to apply.</summary>
    public delegate* unmanaged<nint, ulong, Stat*, int, FuseFileInfo*, void> Setattr;
    public delegate* unmanaged<nint, ulong, void> Readlink;
    public delegate* unmanaged<nint, ulong, byte*, uint, ulong, void> Mknod;
    public delegate* unmanaged<nint, ulong, byte*, uint, void> Mkdir;
    public delegate* unmanaged<nint, ulong, byte*, void> Unlink;
    public delegate* unmanaged<nint, ulong, byte*, void> Rmdir;

    /// <summary>(req, target, parent, name).</summary>
    public delegate* unmanaged<nint, byte*, ulong, byte*, void> Symlink;

    /// <summary>(req, parent, name, newparent, newname, flags).</summary>
    public delegate* unmanaged<nint, ulong, byte*, ulong, byte*, uint, void> Rename;

    /// <summary>(req, ino, newparent, newname).</summary>
    public delegate* unmanaged<nint, ulong, ulong, byte*, void> Link;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Open;

    /// <summary>(req, ino, size, off, fi).</summary>
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> Read;

    /// <summary>(req, ino, buf, size, off, fi).</summary>
    public delegate* unmanaged<nint, ulong, byte*, nuint, long, FuseFileInfo*, void> Write;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Flush;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Release;
    public delegate* unmanaged<nint, ulong, int, FuseFileInfo*, void> Fsync;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Opendir;
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> Readdir;
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> Releasedir;
    public delegate* unmanaged<nint, ulong, int, FuseFileInfo*, void> Fsyncdir;
    public delegate* unmanaged<nint, ulong, void> Statfs;

    /// <summary>(req, ino, name, value, size, flags).</summary>
    public delegate* unmanaged<nint, ulong, byte*, byte*, nuint, int, void> Setxattr;

    /// <summary>(req, ino, name, size): size 0 asks for the length.</summary>
    public delegate* unmanaged<nint, ulong, byte*, nuint, void> Getxattr;
    public delegate* unmanaged<nint, ulong, nuint, void> Listxattr;
    public delegate* unmanaged<nint, ulong, byte*, void> Removexattr;

    /// <summary>Unused: with default_permissions the kernel checks access itself.</summary>
    public nint Access;

    /// <summary>(req, parent, name, mode, fi).</summary>
    public delegate* unmanaged<nint, ulong, byte*, uint, FuseFileInfo*, void> Create;

    /// <summary>
    /// (req, ino, fi, lock). Left null, with <see cref="Setlk"/>, on a volume without origin locks: libfuse then does not
    /// ask for FUSE_CAP_POSIX_LOCKS and the kernel keeps fcntl locks locally.
    /// </summary>
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, Flock*, void> Getlk;

    /// <summary>(req, ino, fi, lock, sleep): sleep is F_SETLKW.</summary>
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, Flock*, int, void> Setlk;
    public nint Bmap;
    public nint Ioctl;
    public nint Poll;
    public nint WriteBuf;
    public nint RetrieveReply;

    /// <summary>(req, count, forgets): answered with fuse_reply_none.</summary>
    public delegate* unmanaged<nint, nuint, FuseForgetData*, void> ForgetMulti;

    /// <summary>(req, ino, fi, op): LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB. Null as <see cref="Getlk"/>, for FUSE_CAP_FLOCK_LOCKS.</summary>
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, int, void> Flock;

    /// <summary>(req, ino, mode, offset, length, fi).</summary>
    public delegate* unmanaged<nint, ulong, int, long, long, FuseFileInfo*, void> Fallocate;

    /// <summary>(req, ino, size, off, fi), answered with fuse_add_direntry_plus entries.</summary>
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> Readdirplus;

    /// <summary>(req, ino_in, off_in, fi_in, ino_out, off_out, fi_out, len, flags).</summary>
    public delegate* unmanaged<nint, ulong, long, FuseFileInfo*, ulong, long, FuseFileInfo*, nuint, int, void> CopyFileRange;
    public nint Lseek;
}
