namespace CacheFs.Origin.Storage;

/// <summary>Recognises the disk errors the protocol names, whatever exception type the platform used.</summary>
internal static class DiskErrors
{
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool IsNoSpace(Exception e) =>
        e is IOException io && (io.HResult is Native.ENOSPC or Native.EDQUOT or WindowsDiskFull or WindowsHandleDiskFull)
        || (e.InnerException is { } inner && IsNoSpace(inner));

    /// <summary>An exception for a failed libc call, carrying errno the way .NET's own IOExceptions do on Unix.</summary>
    public static IOException FromErrno(int errno, string what, string path) =>
        new($"{what} '{path}' failed: {Errno(errno)}", errno);

    private static string Errno(int errno) => errno switch
    {
        Native.ENOENT => "no such file or directory",
        Native.EEXIST => "it exists",
        Native.ENOTDIR => "not a directory",
        Native.EISDIR => "is a directory",
        Native.ENOTEMPTY => "directory not empty",
        Native.ENOSPC => "no space left on the device",
        _ => "errno " + errno,
    };
}
