using CacheFs.Cli.Mount;
using CacheFs.Hosts.Fuse;
using CacheFs.Sync.Control;

namespace CacheFs.Cli.Cache;

/// <summary>
/// The running mount an admin command talks to: named by --mount (its mount point) or --cache (its cache directory),
/// or the only CacheFs mount running when neither is given.
/// </summary>
internal sealed record MountTarget(string CacheDirectory, string? MountPoint)
{
    public static MountTarget? Find(string? mountPoint, string? cache, out string problem)
    {
        problem = "";
        if (cache is not null)
        {
            var full = MountCommand.FullPath(cache);
            return new MountTarget(full, Running().FirstOrDefault(m => m.CacheDirectory == full)?.MountPoint);
        }

        if (mountPoint is null)
        {
            var running = Running().ToList();
            if (running.Count == 1)
                return running[0];
            problem = running.Count == 0
                ? "no CacheFs mount is running; is `cachefs mount` running? (or name its cache with --cache <dir>)"
                : $"{running.Count} CacheFs mounts are running ({string.Join(", ", running.Select(m => m.MountPoint))}); name one with --mount <dir>";
            return null;
        }

        var path = MountCommand.FullPath(mountPoint);
        var entry = MountTable.Find(path);
        if (entry is null || entry.FileSystemType != MountTable.CacheFsType)
        {
            problem = $"no mount at {path}; is `cachefs mount` running?";
            return null;
        }

        if (!Path.IsPathRooted(entry.Source))
        {
            problem = $"the mount table does not say which cache serves {path}; use --cache <cache directory>";
            return null;
        }

        return new MountTarget(entry.Source, path);
    }

    /// <summary>
    /// <paramref name="path"/> relative to the mount's root: a path inside the mount point (absolute, or relative to a
    /// working directory inside it), else a path from the mount's root.
    /// </summary>
    public string? Relative(string path, out string problem)
    {
        problem = "";
        if (MountPoint is { } root)
        {
            var full = MountCommand.FullPath(path);
            if (full == root)
                return "";
            if (full.StartsWith(root + "/", StringComparison.Ordinal))
                return full[(root.Length + 1)..];
            if (Path.IsPathRooted(path))
            {
                problem = $"{path} is not inside the mount {root}";
                return null;
            }
        }

        return path.Trim('/');
    }

    /// <summary>CacheFs mounts whose cache directory has a control endpoint.</summary>
    private static IEnumerable<MountTarget> Running() =>
        MountTable.Read()
            .Where(e => e.FileSystemType == MountTable.CacheFsType && Path.IsPathRooted(e.Source) && File.Exists(ControlServer.PathFor(e.Source)))
            .Select(e => new MountTarget(e.Source, e.MountPoint))
            .DistinctBy(m => m.MountPoint);
}
