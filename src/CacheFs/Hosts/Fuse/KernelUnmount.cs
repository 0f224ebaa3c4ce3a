using System.Diagnostics;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using Serilog;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// Asks the kernel to unmount. That is what ends the request loop: the kernel aborts the connection and every worker's
/// read of /dev/fuse fails with ENODEV. (fuse_exit only sets a flag the blocked workers never look at.)
/// </summary>
internal static class KernelUnmount
{
    public static void Run(string mountPoint, bool lazy, ILogger log)
    {
        if (Libc.Umount2(mountPoint, lazy ? Posix.MNT_DETACH : 0) == 0)
            return;
        var errno = Marshal.GetLastPInvokeError();
        switch (errno)
        {
            case Errno.EBUSY:
                throw Busy(mountPoint);
            case Errno.EINVAL:
                return; // Not (or no longer) a mount point.
            case Errno.EPERM:
                Fusermount(mountPoint, lazy, log); // A user mount: fusermount3 is setuid and checks that it is ours.
                return;
            default:
                throw new FuseMountException(FuseMountError.UnmountFailed, $"umount2({mountPoint}) failed with errno {errno}.");
        }
    }

    private static void Fusermount(string mountPoint, bool lazy, ILogger log)
    {
        var start = new ProcessStartInfo("fusermount3") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(lazy ? "-uz" : "-u");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(mountPoint);
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FuseMountException(FuseMountError.LibraryMissing, "fusermount3 is not installed; install fuse3: apt-get install fuse3", e);
        }

        using var process = started ?? throw new FuseMountException(FuseMountError.UnmountFailed, "Cannot start fusermount3.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0)
            return;
        log.Warning("fusermount3 -u {MountPoint} failed: {Error}", mountPoint, error.Trim());
        if (error.Contains("busy", StringComparison.OrdinalIgnoreCase))
            throw Busy(mountPoint);
        throw new FuseMountException(FuseMountError.UnmountFailed, $"fusermount3 -u {mountPoint} failed: {error.Trim()}");
    }

    private static FuseMountException Busy(string mountPoint) =>
        new(FuseMountError.UnmountBusy, $"{mountPoint} is busy: close the files and leave the directories open on it, then unmount again.");
}
