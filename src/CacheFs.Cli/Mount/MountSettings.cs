using System.Globalization;
using CacheFs.Hosts.Fuse;
using CacheFs.Volume;
using Serilog.Events;

namespace CacheFs.Cli.Mount;

/// <summary>What `cachefs mount` was asked to do, with both directories as full paths.</summary>
internal sealed record MountSettings(string MountPoint, string CacheDirectory, int Threads, LogEventLevel LogLevel, bool AllowOther)
{
    public OriginSettings Origin { get; init; } = OriginSettings.Local;

    /// <summary>--cache-size and its watermarks; null when the cache may grow until the disk's minimum free space.</summary>
    public Eviction.CacheQuota? Quota { get; init; }

    /// <summary>
    /// Always auto_unmount: if this process dies (kill -9, OOM, a crash) the fusermount3 helper detaches the mount, so
    /// the path does not stay a dead "Transport endpoint is not connected" mount that breaks every program touching it
    /// and blocks the next mount. Nothing fsynced depends on it: that is in the journal already.
    /// </summary>
    public FuseMountOptions FuseOptions => new()
    {
        MaxThreads = Threads,
        AllowOther = AllowOther,
        AutoUnmount = true,
        RequireEmptyMountPoint = true,
        FileSystemName = FileSystemName(CacheDirectory),
    };

    /// <summary>A new cache's root belongs to whoever mounts it.</summary>
    public VolumeOptions VolumeOptions => new()
    {
        CacheDirectory = CacheDirectory,
        RootUid = Posix.GetEuid(),
        RootGid = Posix.GetEgid(),
        Outbox = Origin.Mode != OriginMode.Local,
    };

    /// <summary>The arguments of the detached child that serves a --background mount.</summary>
    public IReadOnlyList<string> ChildArguments()
    {
        List<string> arguments =
        [
            "mount", MountPoint, "--cache", CacheDirectory, "--threads", Threads.ToString(CultureInfo.InvariantCulture),
            "--log-level", LogLevel.ToString(), MountCommand.ForegroundChildName,
        ];
        if (AllowOther)
            arguments.Add("--allow-other");
        arguments.AddRange(Origin.ChildArguments());
        if (Quota is { } quota)
        {
            arguments.AddRange([
                "--cache-size", quota.QuotaBytes.ToString(CultureInfo.InvariantCulture),
                "--cache-high", quota.HighPercent.ToString(CultureInfo.InvariantCulture),
                "--cache-low", quota.LowPercent.ToString(CultureInfo.InvariantCulture),
                "--min-free", quota.MinFreeBytes.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return arguments;
    }

    /// <summary>
    /// The cache directory as the mount's source (df and /proc/mounts show it, and `cachefs unmount` finds the serving
    /// process through it), unless it holds what a mount option cannot.
    /// </summary>
    public static string FileSystemName(string cacheDirectory) =>
        cacheDirectory.Any(c => c is ',' or '\\' || char.IsWhiteSpace(c)) ? "cachefs" : cacheDirectory;

    /// <summary>The cache must not be reachable through the mount: the volume would write its objects through itself.</summary>
    public bool CacheIsInsideMountPoint() =>
        CacheDirectory == MountPoint || CacheDirectory.StartsWith(MountPoint + "/", StringComparison.Ordinal) || MountPoint == "/";
}
