namespace CacheFs.Hosts.Fuse.Native;

/// <summary>The x86_64 Linux constants the FUSE host reads and writes (errno values live in <see cref="Errno"/>).</summary>
internal static class Posix
{
    // st_mode file types.
    public const uint S_IFMT = 0xF000;
    public const uint S_IFSOCK = 0xC000;
    public const uint S_IFLNK = 0xA000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFIFO = 0x1000;
    public const uint S_ISGID = 0x400;
    public const uint PermissionBits = 0xFFF;

    // open(2) flags.
    public const int O_ACCMODE = 0x3;
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;

    // renameat2(2) flags.
    public const uint RENAME_NOREPLACE = 1;
    public const uint RENAME_EXCHANGE = 2;

    // setxattr(2) flags.
    public const int XATTR_CREATE = 1;
    public const int XATTR_REPLACE = 2;

    // fallocate(2) modes.
    public const int FALLOC_FL_KEEP_SIZE = 1;
    public const int FALLOC_FL_PUNCH_HOLE = 2;

    // umount2(2) flags.
    public const int MNT_DETACH = 2;
}
