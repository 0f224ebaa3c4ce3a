using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse;
using Serilog.Core;

namespace CacheFs.Cli.Mount;

/// <summary>
/// A CacheFs mount whose process died and that nothing detached: every access to it fails with ENOTCONN. The
/// auto_unmount helper usually detaches it, but fusermount3 (3.14, and upstream still) checks for ENOTCONN while the
/// kernel may still be aborting the connection, gets another answer (ECONNABORTED, we believe) and leaves the mount behind (1 kill -9 in
/// 40 here, up to 1 in 5 under heavy load). A dead mount serves nothing, so mounting over it again detaches it first.
/// </summary>
internal static class DeadMount
{
    private const int ECONNABORTED = 103;
    private const int ENOTCONN = 107;

    /// <summary>Detaches a dead CacheFs mount at <paramref name="mountPoint"/>; true if there was one.</summary>
    public static bool DetachIfDead(string mountPoint)
    {
        if (MountTable.Find(mountPoint)?.FileSystemType != MountTable.CacheFsType || Posix.Access(mountPoint, 0) == 0)
            return false;
        if (Marshal.GetLastPInvokeError() is not (ENOTCONN or ECONNABORTED))
            return false;
        FuseMount.UnmountPath(mountPoint, lazy: true, Logger.None);
        return true;
    }
}
