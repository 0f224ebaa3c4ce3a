namespace CacheFs.Hosts.Fuse;

/// <summary>Why a mount or unmount failed, for a CLI to explain it.</summary>
public enum FuseMountError
{
    /// <summary>libfuse3.so.3 cannot be loaded, or fusermount3 is needed and missing (install the fuse3 package).</summary>
    LibraryMissing,

    /// <summary>/dev/fuse is missing or cannot be opened (no FUSE in this kernel or container).</summary>
    DeviceUnavailable,

    MountPointMissing,
    MountPointNotDirectory,

    /// <summary>The mount point holds files the mount would hide (only when <see cref="FuseMountOptions.RequireEmptyMountPoint"/>).</summary>
    MountPointNotEmpty,

    /// <summary>Something is already mounted there.</summary>
    MountPointBusy,

    /// <summary>libfuse refused the options or the kernel refused the mount; the message says what libfuse said.</summary>
    MountFailed,

    /// <summary>Files on the mount are still open or in use, so it cannot be unmounted now.</summary>
    UnmountBusy,

    UnmountFailed,
}
