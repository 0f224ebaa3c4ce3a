namespace CacheFs;

/// <summary>
/// The OS-neutral outcome of a volume operation. Each host maps it to errno or NTSTATUS in one place.
/// Expected failures are statuses, never exceptions.
/// </summary>
public enum FsStatus
{
    Ok = 0,
    NotFound,
    Exists,
    NotEmpty,
    NotDirectory,
    IsDirectory,
    InvalidName,
    NameTooLong,
    InvalidArgument,
    BadHandle,
    NotPermitted,
    AccessDenied,
    NoSpace,
    NoAttribute,
    FileTooLarge,
    /// <summary>A value (an extended attribute, a symlink target) is larger than the volume accepts.</summary>
    ValueTooLarge,
    TooManyLinks,
    Busy,
    NotSupported,
    CrossDevice,
    /// <summary>The content is not cached and cannot be fetched now (no origin, or the origin is unreachable).</summary>
    ContentUnavailable,
    IoError,
}
