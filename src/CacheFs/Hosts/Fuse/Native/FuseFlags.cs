namespace CacheFs.Hosts.Fuse.Native;

/// <summary>libfuse 3.14 constants: the root's inode, capability bits of <see cref="FuseConnInfo"/>, and setattr's to_set bits.</summary>
internal static class FuseFlags
{
    /// <summary>The root directory's inode number; the kernel knows it without a lookup.</summary>
    public const ulong FUSE_ROOT_ID = 1;

    public const uint FUSE_CAP_ASYNC_READ = 1 << 0;
    public const uint FUSE_CAP_POSIX_LOCKS = 1 << 1;
    public const uint FUSE_CAP_ATOMIC_O_TRUNC = 1 << 3;
    public const uint FUSE_CAP_EXPORT_SUPPORT = 1 << 4;
    public const uint FUSE_CAP_SPLICE_WRITE = 1 << 7;
    public const uint FUSE_CAP_SPLICE_MOVE = 1 << 8;
    public const uint FUSE_CAP_SPLICE_READ = 1 << 9;
    public const uint FUSE_CAP_FLOCK_LOCKS = 1 << 10;
    public const uint FUSE_CAP_AUTO_INVAL_DATA = 1 << 12;
    public const uint FUSE_CAP_READDIRPLUS = 1 << 13;
    public const uint FUSE_CAP_READDIRPLUS_AUTO = 1 << 14;
    public const uint FUSE_CAP_ASYNC_DIO = 1 << 15;
    public const uint FUSE_CAP_WRITEBACK_CACHE = 1 << 16;
    public const uint FUSE_CAP_PARALLEL_DIROPS = 1 << 18;
    public const uint FUSE_CAP_POSIX_ACL = 1 << 19;
    public const uint FUSE_CAP_HANDLE_KILLPRIV = 1 << 20;
    public const uint FUSE_CAP_CACHE_SYMLINKS = 1 << 23;

    public const int FUSE_SET_ATTR_MODE = 1 << 0;
    public const int FUSE_SET_ATTR_UID = 1 << 1;
    public const int FUSE_SET_ATTR_GID = 1 << 2;
    public const int FUSE_SET_ATTR_SIZE = 1 << 3;
    public const int FUSE_SET_ATTR_ATIME = 1 << 4;
    public const int FUSE_SET_ATTR_MTIME = 1 << 5;
    public const int FUSE_SET_ATTR_ATIME_NOW = 1 << 7;
    public const int FUSE_SET_ATTR_MTIME_NOW = 1 << 8;
}
