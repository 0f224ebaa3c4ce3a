using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;

namespace CacheFs.Hosts.Fuse;

/// <summary>The checks before a mount, each failing with a message that says what to do (libfuse's own are terse).</summary>
internal static class MountPreflight
{
    private const string Device = "/dev/fuse";
    private const string Fusermount = "fusermount3";
    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Returns the mount point's full path, or throws <see cref="FuseMountException"/>.</summary>
    public static string Check(string mountPoint, FuseMountOptions options)
    {
        CheckLibrary();
        CheckHelper(options);
        CheckDevice();
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));

        // Before looking at the directory: a stale FUSE mount makes every stat fail with ENOTCONN.
        if (IsMountPoint(full))
            throw new FuseMountException(FuseMountError.MountPointBusy, $"{full} is already a mount point; unmount it first (fusermount3 -u {full}).");
        if (File.Exists(full))
            throw new FuseMountException(FuseMountError.MountPointNotDirectory, $"The mount point {full} is a file, not a directory.");
        if (!Directory.Exists(full))
            throw new FuseMountException(FuseMountError.MountPointMissing, $"The mount point {full} does not exist; create the directory first.");
        if (options.RequireEmptyMountPoint && Directory.EnumerateFileSystemEntries(full).FirstOrDefault() is { } first)
        {
            throw new FuseMountException(
                FuseMountError.MountPointNotEmpty,
                $"The mount point {full} is not empty (it holds {Path.GetFileName(first)}, …); the mount would hide its files. Choose an empty directory.");
        }

        return full;
    }

    public static bool IsMountPoint(string fullPath) => MountTable.Find(fullPath) is not null;

    private static void CheckLibrary()
    {
        if (!NativeLibrary.TryLoad(FuseSymbols.Library, out var library))
            throw new FuseMountException(FuseMountError.LibraryMissing, $"{FuseSymbols.Library} is not installed; install fuse3: apt-get install fuse3");
        foreach (var (name, version) in FuseSymbols.Versioned)
        {
            if (Libc.DlVSym(library, name, version) == 0)
                throw new FuseMountException(FuseMountError.LibraryMissing, $"{FuseSymbols.Library} has no {name}@{version}; CacheFs needs libfuse 3.12 or later.");
        }
    }

    /// <summary>libfuse mounts through the setuid fusermount3 for a user, and always when it must unmount after a crash.</summary>
    private static void CheckHelper(FuseMountOptions options)
    {
        if (!options.AutoUnmount && Environment.IsPrivilegedProcess)
            return;
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Prepend("/usr/bin");
        if (!directories.Select(d => Path.Combine(d, Fusermount)).Any(IsExecutable))
            throw new FuseMountException(FuseMountError.LibraryMissing, $"{Fusermount} is not installed; install fuse3: apt-get install fuse3");
    }

    private static bool IsExecutable(string path) => File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & Executable) != 0);

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
}
