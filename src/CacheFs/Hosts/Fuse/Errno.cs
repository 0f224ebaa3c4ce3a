namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The one place where the core's <see cref="FsStatus"/> becomes a Linux errno (x86_64 values, checked against
/// &lt;errno.h&gt; by NativeLayoutTests). A request is answered with fuse_reply_err(req, errno), 0 meaning success.
/// </summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int E2BIG = 7;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;
    public const int EMLINK = 31;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOLCK = 37;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int EHOSTUNREACH = 113;

    public static int Of(FsStatus status) => status switch
    {
        FsStatus.Ok => 0,
        FsStatus.NotFound => ENOENT,
        FsStatus.Exists => EEXIST,
        FsStatus.NotEmpty => ENOTEMPTY,
        FsStatus.NotDirectory => ENOTDIR,
        FsStatus.IsDirectory => EISDIR,
        FsStatus.InvalidName => EINVAL,
        FsStatus.NameTooLong => ENAMETOOLONG,
        FsStatus.InvalidArgument => EINVAL,
        FsStatus.BadHandle => EBADF,
        FsStatus.NotPermitted => EPERM,
        FsStatus.AccessDenied => EACCES,
        FsStatus.NoSpace => ENOSPC,
        FsStatus.NoAttribute => ENODATA,
        FsStatus.FileTooLarge => EFBIG,
        FsStatus.ValueTooLarge => E2BIG,
        FsStatus.TooManyLinks => EMLINK,
        FsStatus.Busy => EBUSY,
        FsStatus.NotSupported => EOPNOTSUPP,
        FsStatus.CrossDevice => EXDEV,

        // "No route to host": the bytes live on the origin, which cannot be reached now; says more than a plain EIO.
        FsStatus.ContentUnavailable => EHOSTUNREACH,
        FsStatus.WouldBlock => EAGAIN,
        FsStatus.Interrupted => EINTR,
        FsStatus.NoLocks => ENOLCK,
        _ => EIO,
    };
}
