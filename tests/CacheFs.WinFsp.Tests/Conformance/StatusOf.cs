using Fsp;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// An NTSTATUS back in the core's vocabulary, as the conformance cases speak it: the inverse of the host's NtStatus for
/// the statuses it answers, plus the ones Windows adds (a missing parent is still "not found").
/// </summary>
internal static class StatusOf
{
    public static FsStatus Nt(int status) => status switch
    {
        FileSystemBase.STATUS_SUCCESS => FsStatus.Ok,
        FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND or FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND => FsStatus.NotFound,
        FileSystemBase.STATUS_OBJECT_NAME_COLLISION => FsStatus.Exists,
        FileSystemBase.STATUS_DIRECTORY_NOT_EMPTY => FsStatus.NotEmpty,
        FileSystemBase.STATUS_NOT_A_DIRECTORY => FsStatus.NotDirectory,
        FileSystemBase.STATUS_FILE_IS_A_DIRECTORY => FsStatus.IsDirectory,
        FileSystemBase.STATUS_OBJECT_NAME_INVALID => FsStatus.InvalidName,
        FileSystemBase.STATUS_INVALID_PARAMETER => FsStatus.InvalidArgument,
        FileSystemBase.STATUS_INVALID_HANDLE => FsStatus.BadHandle,
        FileSystemBase.STATUS_ACCESS_DENIED or FileSystemBase.STATUS_CANNOT_DELETE => FsStatus.AccessDenied,
        FileSystemBase.STATUS_DISK_FULL => FsStatus.NoSpace,
        FileSystemBase.STATUS_FILE_TOO_LARGE => FsStatus.FileTooLarge,
        FileSystemBase.STATUS_SHARING_VIOLATION => FsStatus.Busy,
        FileSystemBase.STATUS_NOT_SUPPORTED => FsStatus.NotSupported,
        FileSystemBase.STATUS_NOT_SAME_DEVICE => FsStatus.CrossDevice,
        FileSystemBase.STATUS_NETWORK_UNREACHABLE => FsStatus.ContentUnavailable,
        FileSystemBase.STATUS_EA_TOO_LARGE => FsStatus.ValueTooLarge,
        FileSystemBase.STATUS_INVALID_EA_NAME => FsStatus.InvalidName,
        FileSystemBase.STATUS_EA_LIST_INCONSISTENT => FsStatus.InvalidArgument,
        FileSystemBase.STATUS_NOT_A_REPARSE_POINT or FileSystemBase.STATUS_IO_REPARSE_DATA_INVALID => FsStatus.InvalidArgument,
        _ => FsStatus.IoError,
    };
}
