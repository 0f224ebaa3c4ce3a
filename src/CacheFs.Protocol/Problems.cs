using System.Net;

namespace CacheFs.Protocol;

/// <summary>Every way the origin refuses a request. Each has one HTTP status (<see cref="Problems.StatusOf"/>).</summary>
public enum ErrorCode
{
    BadRequest = 1,
    Unauthorized = 2,
    InvalidPath = 3,
    NotFound = 4,
    Exists = 5,
    NotEmpty = 6,
    NotDirectory = 7,
    IsDirectory = 8,
    InvalidArgument = 9,
    VersionMismatch = 10,
    LeaseConflict = 11,
    StaleLease = 12,
    LockConflict = 13,
    SessionExpired = 14,
    IncompleteUpload = 15,
    DigestMismatch = 16,
    NoSpace = 17,
    NotSupported = 18,
    NoAttribute = 19,
    Internal = 20,
}

/// <summary>
/// The body of every refusal. <see cref="Holder"/> names the client holding a conflicting lease; <see cref="CurrentVersion"/>
/// is the node's version when a precondition failed.
/// </summary>
public sealed record ProblemReport(ErrorCode Code, string Message)
{
    public string? Holder { get; init; }
    public long? CurrentVersion { get; init; }
}

/// <summary>The one mapping between error codes and HTTP statuses, used by the origin to answer and the client to read.</summary>
public static class Problems
{
    public static HttpStatusCode StatusOf(ErrorCode code) => code switch
    {
        ErrorCode.BadRequest or ErrorCode.InvalidPath or ErrorCode.InvalidArgument or ErrorCode.IncompleteUpload
            or ErrorCode.DigestMismatch => HttpStatusCode.BadRequest,
        ErrorCode.Unauthorized => HttpStatusCode.Unauthorized,
        ErrorCode.NotFound or ErrorCode.NoAttribute => HttpStatusCode.NotFound,
        ErrorCode.Exists or ErrorCode.NotEmpty or ErrorCode.NotDirectory or ErrorCode.IsDirectory
            or ErrorCode.LeaseConflict or ErrorCode.LockConflict => HttpStatusCode.Conflict,
        ErrorCode.VersionMismatch or ErrorCode.StaleLease => HttpStatusCode.PreconditionFailed,
        ErrorCode.SessionExpired => HttpStatusCode.Gone,
        ErrorCode.NoSpace => HttpStatusCode.InsufficientStorage,
        ErrorCode.NotSupported => HttpStatusCode.NotImplemented,
        _ => HttpStatusCode.InternalServerError,
    };
}
