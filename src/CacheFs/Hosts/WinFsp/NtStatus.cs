using Fsp;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// The one place where the core's <see cref="FsStatus"/> becomes an NTSTATUS, as Hosts/Fuse/Errno.cs makes it an errno.
/// The values are WinFsp's own constants (FileSystemBase+Const.cs), so none is typed in by hand.
/// </summary>
internal static class NtStatus
{
    public const int Success = FileSystemBase.STATUS_SUCCESS;
    public const int Pending = FileSystemBase.STATUS_PENDING;
    public const int EndOfFile = FileSystemBase.STATUS_END_OF_FILE;
    public const int DirectoryNotEmpty = FileSystemBase.STATUS_DIRECTORY_NOT_EMPTY;
    public const int CannotDelete = FileSystemBase.STATUS_CANNOT_DELETE;
    public const int AccessDenied = FileSystemBase.STATUS_ACCESS_DENIED;
    public const int NameCollision = FileSystemBase.STATUS_OBJECT_NAME_COLLISION;
    public const int InvalidDeviceRequest = FileSystemBase.STATUS_INVALID_DEVICE_REQUEST;
    public const int UnexpectedIoError = FileSystemBase.STATUS_UNEXPECTED_IO_ERROR;

    public static int Of(FsStatus status) => status switch
    {
        FsStatus.Ok => FileSystemBase.STATUS_SUCCESS,
        FsStatus.NotFound => FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND,
        FsStatus.Exists => FileSystemBase.STATUS_OBJECT_NAME_COLLISION,
        FsStatus.NotEmpty => FileSystemBase.STATUS_DIRECTORY_NOT_EMPTY,
        FsStatus.NotDirectory => FileSystemBase.STATUS_NOT_A_DIRECTORY,
        FsStatus.IsDirectory => FileSystemBase.STATUS_FILE_IS_A_DIRECTORY,
        FsStatus.InvalidName => FileSystemBase.STATUS_OBJECT_NAME_INVALID,
        FsStatus.NameTooLong => FileSystemBase.STATUS_OBJECT_NAME_INVALID,
        FsStatus.InvalidArgument => FileSystemBase.STATUS_INVALID_PARAMETER,
        FsStatus.BadHandle => FileSystemBase.STATUS_INVALID_HANDLE,
        FsStatus.NotPermitted => FileSystemBase.STATUS_ACCESS_DENIED,
        FsStatus.AccessDenied => FileSystemBase.STATUS_ACCESS_DENIED,
        FsStatus.NoSpace => FileSystemBase.STATUS_DISK_FULL,
        FsStatus.NoAttribute => FileSystemBase.STATUS_NO_EAS_ON_FILE,
        FsStatus.FileTooLarge => FileSystemBase.STATUS_FILE_TOO_LARGE,
        FsStatus.ValueTooLarge => FileSystemBase.STATUS_EA_TOO_LARGE,
        FsStatus.TooManyLinks => FileSystemBase.STATUS_TOO_MANY_LINKS,

        // Another client holds the write lease: to a Windows program that is another opener refusing to share the file,
        // which it already knows how to report ("being used by another process") and to retry.
        FsStatus.Busy => FileSystemBase.STATUS_SHARING_VIOLATION,
        FsStatus.NotSupported => FileSystemBase.STATUS_NOT_SUPPORTED,
        FsStatus.CrossDevice => FileSystemBase.STATUS_NOT_SAME_DEVICE,

        // The bytes live on the origin and cannot be fetched now; Explorer shows "the network location cannot be reached".
        FsStatus.ContentUnavailable => FileSystemBase.STATUS_NETWORK_UNREACHABLE,
        FsStatus.WouldBlock => FileSystemBase.STATUS_LOCK_NOT_GRANTED,
        FsStatus.Interrupted => FileSystemBase.STATUS_CANCELLED,
        FsStatus.NoLocks => FileSystemBase.STATUS_NETWORK_UNREACHABLE,
        _ => FileSystemBase.STATUS_IO_DEVICE_ERROR,
    };

    /// <summary>
    /// A name that could not be resolved: Windows tells a missing last component (OBJECT_NAME_NOT_FOUND) from a missing
    /// or non-directory component before it (OBJECT_PATH_NOT_FOUND), and programs act on the difference (create the
    /// parent first, or not).
    /// </summary>
    public static int OfLookup(FsStatus status, bool inParent) =>
        inParent && status is FsStatus.NotFound or FsStatus.NotDirectory ? FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND : Of(status);
}
