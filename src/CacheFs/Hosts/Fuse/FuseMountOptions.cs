namespace CacheFs.Hosts.Fuse;

/// <summary>How a volume is mounted through FUSE. The defaults suit a single-user workstation mount.</summary>
public sealed record FuseMountOptions
{
    /// <summary>Most libfuse worker threads serving requests at once (libfuse's own default is 10).</summary>
    public int MaxThreads { get; init; } = 16;

    /// <summary>One /dev/fuse descriptor per worker thread: less contention on the device under parallel load.</summary>
    public bool CloneFd { get; init; }

    /// <summary>
    /// Largest write request the kernel sends, and (libfuse derives the kernel's max_pages from it) largest read.
    /// libfuse 3.14's buffers cap it at 1 MiB. 1008 KiB is the largest read answer libfuse can splice: the answer, its
    /// header and three pages of slack must fit in one pipe, and an unprivileged pipe holds at most 1 MiB
    /// (fs.pipe-max-size); a larger answer is copied through a buffer libfuse allocates for each read.
    /// </summary>
    public int MaxWrite { get; init; } = 1008 * 1024;

    /// <summary>
    /// The kernel's read-ahead for the mount, in KiB; 0 leaves its default. FUSE starts every mount at 128 KiB, so a
    /// sequential reader gets 128 KiB requests, each a round trip through the daemon; 1 MiB (one request of
    /// <see cref="MaxWrite"/>'s size) halves the time of a cold read here. Only root may raise it.
    /// </summary>
    public int ReadAheadKib { get; init; } = 1024;

    /// <summary>How long the kernel trusts attributes, names and missing names without asking again.</summary>
    public TimeSpan AttributeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan EntryTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan NegativeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Let the kernel check permissions from mode, uid and gid (almost always wanted).</summary>
    public bool DefaultPermissions { get; init; } = true;

    /// <summary>Let users other than the mounting one in (root, or user_allow_other in /etc/fuse.conf).</summary>
    public bool AllowOther { get; init; }

    /// <summary>Have fusermount3 unmount when this process dies, even by kill -9.</summary>
    public bool AutoUnmount { get; init; }

    /// <summary>Refuse a mount point that holds files (FUSE itself mounts over them and hides them).</summary>
    public bool RequireEmptyMountPoint { get; init; }

    /// <summary>Shown as the source in /proc/mounts and df.</summary>
    public string FileSystemName { get; init; } = "cachefs";

    /// <summary>libfuse's own request trace (very verbose), through the log.</summary>
    public bool Debug { get; init; }

    /// <summary>How long mounting may take until the kernel's INIT has been answered.</summary>
    public TimeSpan MountTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an unmount waits for the request loop to drain.</summary>
    public TimeSpan UnmountTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
