using System.Globalization;
using Fsp;

namespace CacheFs.Hosts.WinFsp;

/// <summary>WinFsp refused a mount; <see cref="Status"/> is its NTSTATUS.</summary>
public sealed class WinFspMountException : Exception
{
    public WinFspMountException()
    {
    }

    public WinFspMountException(string message)
        : base(message)
    {
    }

    public WinFspMountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WinFspMountException(string mountPoint, int status)
        : base(Describe(mountPoint, status)) => Status = status;

    public int Status { get; }

    /// <summary>The drive letter or directory is taken by another volume.</summary>
    public bool MountPointInUse => Status is FileSystemBase.STATUS_OBJECT_NAME_COLLISION or FileSystemBase.STATUS_ACCESS_DENIED;

    private static string Describe(string mountPoint, int status) => status switch
    {
        FileSystemBase.STATUS_OBJECT_NAME_COLLISION => $"{mountPoint} is in use: pick a free drive letter, or a directory that does not exist yet.",
        FileSystemBase.STATUS_OBJECT_NAME_INVALID or FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND =>
            $"{mountPoint} is not a mount point WinFsp accepts: a drive letter (X:) or a directory path whose parent exists.",
        _ => string.Create(CultureInfo.InvariantCulture, $"WinFsp could not mount {mountPoint}: NTSTATUS 0x{status:X8}."),
    };
}
