using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Content;

/// <summary>The few file calls .NET does not expose: preallocation and hole punching (Linux fallocate).</summary>
internal static partial class NativeFile
{
    private const int FallocKeepSize = 0x01;
    private const int FallocPunchHole = 0x02;
    private const int EOPNOTSUPP = 95;
    private const int ENOSPC = 28;

    /// <summary>Reserves disk blocks for [offset, offset+length); extends the object unless <paramref name="keepSize"/>.</summary>
    public static FsStatus Allocate(SafeFileHandle handle, long offset, long length, bool keepSize)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (!keepSize && RandomAccess.GetLength(handle) < offset + length)
                RandomAccess.SetLength(handle, offset + length);
            return FsStatus.Ok;
        }

        if (Fallocate(Fd(handle), keepSize ? FallocKeepSize : 0, offset, length) == 0)
            return FsStatus.Ok;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ENOSPC)
            return FsStatus.NoSpace;
        if (errno != EOPNOTSUPP)
            return FsStatus.IoError;

        // The cache's file system cannot preallocate: a sparse extension is the honest fallback.
        if (!keepSize && RandomAccess.GetLength(handle) < offset + length)
            RandomAccess.SetLength(handle, offset + length);
        return FsStatus.Ok;
    }

    /// <summary>Turns [offset, offset+length) into zeros, freeing the blocks where the file system can.</summary>
    public static FsStatus PunchHole(SafeFileHandle handle, long offset, long length)
    {
        if (OperatingSystem.IsLinux() && Fallocate(Fd(handle), FallocPunchHole | FallocKeepSize, offset, length) == 0)
            return FsStatus.Ok;

        var fileLength = RandomAccess.GetLength(handle);
        var end = Math.Min(offset + length, fileLength);
        var zeros = new byte[Math.Min(1 << 20, Math.Max(0, end - offset))];
        for (var at = offset; at < end; at += zeros.Length)
            RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, end - at)), at);
        return FsStatus.Ok;
    }

    /// <summary>Makes a directory's entries durable (a new object's name). Windows (NTFS) journals names itself.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = Open(path, ORdOnly | ODirectory);
        if (fd < 0)
            throw new IOException($"cannot open {path} to sync it", Marshal.GetLastPInvokeError());
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"cannot sync {path}", Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);
}
