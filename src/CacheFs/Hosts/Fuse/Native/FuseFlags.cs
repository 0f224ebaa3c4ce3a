namespace CacheFs.Hosts.Fuse.Native;

/// <summary>libfuse 3.14 constants: capability bits of <see cref="FuseConnInfo"/> and the readdir flags.</summary>
internal static class FuseFlags
{
    public const uint FUSE_CAP_ASYNC_READ = 1 << 0;
    public const uint FUSE_CAP_POSIX_LOCKS = 1 << 1;
    public const uint FUSE_CAP_ATOMIC_O_TRUNC = 1 << 3;
    public const uint FUSE_CAP_FLOCK_LOCKS = 1 << 10;
    public const uint FUSE_CAP_AUTO_INVAL_DATA = 1 << 12;
    public const uint FUSE_CAP_READDIRPLUS = 1 << 13;
    public const uint FUSE_CAP_READDIRPLUS_AUTO = 1 << 14;
    public const uint FUSE_CAP_ASYNC_DIO = 1 << 15;
    public const uint FUSE_CAP_WRITEBACK_CACHE = 1 << 16;
    public const uint FUSE_CAP_PARALLEL_DIROPS = 1 << 18;
    public const uint FUSE_CAP_CACHE_SYMLINKS = 1 << 23;

    /// <summary>readdir was called for READDIRPLUS: attributes given to the filler reach the kernel.</summary>
    public const int FUSE_READDIR_PLUS = 1 << 0;

    /// <summary>Filler flag: the stat passed with this entry is complete.</summary>
    public const int FUSE_FILL_DIR_PLUS = 1 << 1;
}
