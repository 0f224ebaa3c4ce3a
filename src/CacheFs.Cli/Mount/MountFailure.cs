using CacheFs.Hosts.Fuse;
using CacheFs.Journal;
using CacheFs.Volume;

namespace CacheFs.Cli.Mount;

/// <summary>A mount or unmount that failed for a reason the user can act on: the exit code and a one-line message.</summary>
internal sealed record MountFailure(int ExitCode, string Message)
{
    /// <summary>The failures with a known cause; anything else is a bug and keeps its stack trace in the log.</summary>
    public static MountFailure? From(Exception exception) => exception switch
    {
        FuseMountException e => new(ExitCodeOf(e.Error), e.Message),
        CacheInUseException e => new(ExitCodes.CacheInUse, Sentence(e.Message)),
        JournalException e => new(ExitCodes.JournalDamaged, JournalMessage(e)),
        CacheFs.Origin.OriginStartException e => new(ExitCodes.OriginFailed, $"The mount's origin cannot start: {e.Message}"),
        IOException or UnauthorizedAccessException => new(ExitCodes.CacheUnusable, $"Cannot use the cache directory: {exception.Message}"),
        _ => null,
    };

    private static int ExitCodeOf(FuseMountError error) => error switch
    {
        FuseMountError.LibraryMissing => ExitCodes.FuseMissing,
        FuseMountError.DeviceUnavailable => ExitCodes.FuseDeviceMissing,
        FuseMountError.MountPointMissing => ExitCodes.MountPointMissing,
        FuseMountError.MountPointNotDirectory => ExitCodes.MountPointNotDirectory,
        FuseMountError.MountPointNotEmpty => ExitCodes.MountPointNotEmpty,
        FuseMountError.MountPointBusy => ExitCodes.MountPointBusy,
        FuseMountError.UnmountBusy => ExitCodes.UnmountBusy,
        FuseMountError.UnmountFailed => ExitCodes.UnmountFailed,
        _ => ExitCodes.MountFailed,
    };

    private static string JournalMessage(JournalException e)
    {
        var message = $"The cache's journal cannot be used: {e.Message}";
        return message.Contains("move the cache directory", StringComparison.Ordinal) || message.Contains("upgrade", StringComparison.Ordinal)
            ? message
            : message + "; move the cache directory aside (keep it for a bug report) and mount with an empty one";
    }

    private static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];
}
