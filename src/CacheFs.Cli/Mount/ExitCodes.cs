namespace CacheFs.Cli.Mount;

/// <summary>
/// What `cachefs mount` and `cachefs unmount` exit with, one code per thing a user or script must do differently.
/// Listed in the README; never renumber one.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected (the message and the log say what); also System.CommandLine's code for bad arguments.</summary>
    public const int Failed = 1;

    /// <summary>Arguments that parse but cannot work together, such as a cache inside the mount point.</summary>
    public const int InvalidArguments = 2;

    public const int MountPointMissing = 10;
    public const int MountPointNotDirectory = 11;
    public const int MountPointNotEmpty = 12;

    /// <summary>Something is already mounted there (maybe a dead mount: `cachefs unmount` it).</summary>
    public const int MountPointBusy = 13;

    public const int FuseDeviceMissing = 20;

    /// <summary>libfuse3 or fusermount3 is missing: apt-get install fuse3.</summary>
    public const int FuseMissing = 21;

    /// <summary>Another CacheFs process has the cache directory open.</summary>
    public const int CacheInUse = 30;

    /// <summary>The journal is damaged, not a CacheFs journal, or from a newer CacheFs.</summary>
    public const int JournalDamaged = 31;

    /// <summary>The cache directory cannot be created or opened (a file, no permission, a read-only disk).</summary>
    public const int CacheUnusable = 32;

    /// <summary>The embedded origin (a mount without --origin) cannot serve its folder.</summary>
    public const int OriginFailed = 33;

    /// <summary>libfuse or the kernel refused the mount, or the request loop failed.</summary>
    public const int MountFailed = 40;

    public const int NotMounted = 50;
    public const int NotCacheFs = 51;

    /// <summary>Files or working directories are open on the mount; close them, or unmount with --lazy.</summary>
    public const int UnmountBusy = 52;

    public const int UnmountFailed = 53;

    /// <summary>Admin commands: a path that is not on the mount.</summary>
    public const int PathNotFound = 60;

    /// <summary>`cachefs cache evict --to`: what is left is dirty, pinned, open or leased, and above the target.</summary>
    public const int TargetNotReached = 61;

    /// <summary>`cachefs cache verify` found content that disagrees with the journal.</summary>
    public const int VerifyFailed = 62;

    /// <summary>`cachefs sync`: changes still wait for the origin (it is unreachable, or --timeout passed).</summary>
    public const int NotSynced = 63;

    /// <summary>`cachefs cache pin`: some pinned files could not be fetched (offline?); they stay pinned.</summary>
    public const int PinIncomplete = 64;

    /// <summary>The mount's control endpoint refused this user: only the user who mounted (or root) may use it.</summary>
    public const int PermissionDenied = 65;
}
