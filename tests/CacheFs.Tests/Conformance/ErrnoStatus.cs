namespace CacheFs.Tests.Conformance;

/// <summary>
/// The one place where the mount driver turns a Linux errno (x86_64) back into the core's vocabulary. The reverse of
/// the FUSE host's Errno map, written from the kernel's documentation rather than copied from it, plus the answers the
/// kernel gives itself before the FUSE host is ever asked.
/// </summary>
internal static class ErrnoStatus
{
    public static FsStatus Of(int errno) => errno switch
    {
        0 => FsStatus.Ok,
        1 => FsStatus.NotPermitted, // EPERM
        2 => FsStatus.NotFound, // ENOENT
        7 => FsStatus.ValueTooLarge, // E2BIG: an xattr value over XATTR_SIZE_MAX
        9 => FsStatus.BadHandle, // EBADF
        13 => FsStatus.AccessDenied, // EACCES
        16 => FsStatus.Busy, // EBUSY: the VFS refuses to rename "." or ".."
        17 => FsStatus.Exists, // EEXIST
        18 => FsStatus.CrossDevice, // EXDEV
        20 => FsStatus.NotDirectory, // ENOTDIR
        21 => FsStatus.IsDirectory, // EISDIR
        22 => FsStatus.InvalidArgument, // EINVAL
        27 => FsStatus.FileTooLarge, // EFBIG
        28 => FsStatus.NoSpace, // ENOSPC
        31 => FsStatus.TooManyLinks, // EMLINK

        // ERANGE: the driver sizes every buffer by a first call, so the one ERANGE left is the VFS refusing an xattr name
        // over XATTR_NAME_MAX (255 bytes), which the core reports as a name too long.
        34 => FsStatus.NameTooLong,
        36 => FsStatus.NameTooLong, // ENAMETOOLONG
        39 => FsStatus.NotEmpty, // ENOTEMPTY
        61 => FsStatus.NoAttribute, // ENODATA
        95 => FsStatus.NotSupported, // EOPNOTSUPP
        113 => FsStatus.ContentUnavailable, // EHOSTUNREACH
        _ => FsStatus.IoError,
    };
}
