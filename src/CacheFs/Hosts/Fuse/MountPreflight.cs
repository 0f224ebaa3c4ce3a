using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;

namespace CacheFs.Hosts.Fuse;

/// <summary>The checks before a mount, each failing with a message that says what to do (libfuse's own are terse).</summary>
internal static class MountPreflight
{
    private const string Device = "/dev/fuse";

    /// <summary>Returns the mount point's full path, or throws <see cref="FuseMountException"/>.</summary>
    public static string Check(string mountPoint)
    {
        CheckLibrary();
        CheckDevice();
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));

        // Before looking at the directory: a stale FUSE mount makes every stat fail with ENOTCONN.
        if (IsMountPoint(full))
            throw new FuseMountException(FuseMountError.MountPointBusy, $"{full} is already a mount point; unmount it first (fusermount3 -u {full}).");
        if (File.Exists(full))
            throw new FuseMountException(FuseMountError.MountPointNotDirectory, $"The mount point {full} is a file, not a directory.");
        if (!Directory.Exists(full))
            throw new FuseMountException(FuseMountError.MountPointMissing, $"The mount point {full} does not exist; create the directory first.");
        return full;
    }

    public static bool IsMountPoint(string fullPath) =>
        File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')).Any(fields => fields.Length > 4 && Unescape(fields[4]) == fullPath);

    private static void CheckLibrary()
    {
        if (!NativeLibrary.TryLoad(FuseSymbols.Library, out var library))
            throw new FuseMountException(FuseMountError.LibraryMissing, $"{FuseSymbols.Library} is not installed; install the fuse3 package (apt-get install fuse3).");
        foreach (var (name, version) in FuseSymbols.Versioned)
        {
            if (Libc.DlVSym(library, name, version) == 0)
                throw new FuseMountException(FuseMountError.LibraryMissing, $"{FuseSymbols.Library} has no {name}@{version}; CacheFs needs libfuse 3.12 or later.");
        }
    }

    private static void CheckDevice()
    {
        if (!File.Exists(Device))
            throw new FuseMountException(FuseMountError.DeviceUnavailable, $"{Device} does not exist: this kernel or container has no FUSE (load the fuse module, or run the container with --device /dev/fuse).");
        try
        {
            using var device = File.Open(Device, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new FuseMountException(FuseMountError.DeviceUnavailable, $"Cannot open {Device}: {e.Message}", e);
        }
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \040, \011, \012 and \134.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return field;
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits) => digits.Length == 3 && !digits.ContainsAnyExceptInRange('0', '7');
}
