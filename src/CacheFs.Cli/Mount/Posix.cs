using System.Runtime.InteropServices;

namespace CacheFs.Cli.Mount;

/// <summary>The libc calls the mount command needs and .NET does not offer.</summary>
internal static partial class Posix
{
    /// <summary>Starts a new session without a controlling terminal, so the terminal's SIGINT and SIGHUP no longer reach us.</summary>
    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    /// <summary>access(2): 0, or -1 with the errno (a dead FUSE mount answers ENOTCONN).</summary>
    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEgid();
}
