using System.Globalization;
using Serilog;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// Sets a mount's kernel read-ahead through sysfs (/sys/class/bdi/&lt;major:minor&gt;/read_ahead_kb). The FUSE
/// handshake can only lower the kernel's 128 KiB offer, so raising it is done after the mount, as root.
/// </summary>
internal static class KernelReadAhead
{
    public static void Set(string mountPoint, int kib, ILogger log)
    {
        if (kib <= 0)
            return;
        var device = MountTable.Find(mountPoint)?.Device;
        if (string.IsNullOrEmpty(device))
            return;
        var path = $"/sys/class/bdi/{device}/read_ahead_kb";
        try
        {
            File.WriteAllText(path, kib.ToString(CultureInfo.InvariantCulture));
            log.Debug("Kernel read-ahead of {MountPoint} set to {Kib} KiB", mountPoint, kib);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not root, or no sysfs: sequential cold reads are slower, nothing else changes.
            log.Debug("Kernel read-ahead of {MountPoint} left at its default ({Path}: {Reason})", mountPoint, path, e.Message);
        }
    }
}
