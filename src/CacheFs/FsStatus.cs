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
    /// <summary>A lock another owner holds is in the way, and the caller asked not to wait.</summary>
    WouldBlock,
    /// <summary>The caller gave up waiting (a signal, on Linux).</summary>
    Interrupted,
    /// <summary>Locks cannot be taken now: the origin that keeps them cannot be reached.</summary>
    NoLocks,
}
