using System.Diagnostics;
using CacheFs.Hosts.Fuse;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>The kernel's view of mounts, and the last-resort cleanup every test relies on.</summary>
internal static class Mounts
{
    public static bool IsMounted(string path) => MountTable.Find(path) is not null;

    public static bool IsCacheFsMount(string path) => MountTable.Find(path)?.FileSystemType == MountTable.CacheFsType;

    /// <summary>Mounted, but its process is gone: the kernel answers ENOTCONN.</summary>
    public static bool IsDead(string path)
    {
        try
        {
            Directory.GetFileSystemEntries(path);
            return false;
        }
        catch (IOException e) when (e.Message.Contains("not connected", StringComparison.Ordinal))
        {
            return IsMounted(path);
        }
    }

    public static Task<bool> GoneAsync(string path, TimeSpan timeout) => Eventually.TrueAsync(() => !IsMounted(path), timeout);

    /// <summary>Detaches whatever is still mounted at or below <paramref name="root"/> (deepest first); true when nothing is left.</summary>
    public static bool ForceUnmountAll(string root)
    {
        foreach (var entry in MountTable.Read().Where(e => e.MountPoint == root || e.MountPoint.StartsWith(root + "/", StringComparison.Ordinal)).Reverse())
        {
            foreach (var (program, arguments) in new[] { ("fusermount3", "-u -z"), ("umount", "-l") })
            {
                using var process = Process.Start(new ProcessStartInfo(program, $"{arguments} {entry.MountPoint}") { UseShellExecute = false, RedirectStandardError = true });
                process!.WaitForExit();
                if (process.ExitCode == 0)
                    break;
            }
        }

        return !MountTable.Read().Any(e => e.MountPoint == root || e.MountPoint.StartsWith(root + "/", StringComparison.Ordinal));
    }
}
