using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>Handles are file descriptors; the driver remembers them so a failed case cannot keep the mount busy.</summary>
internal sealed unsafe partial class MountDriver
{
    private readonly HashSet<int> _open = [];

    public FsResult<int> Open(string path, OpenMode mode, uint permissions = 0x1A4)
    {
        var flags = (mode & OpenMode.ReadWrite) switch
        {
            OpenMode.ReadWrite => LinuxCalls.ORdWr,
            OpenMode.Write => LinuxCalls.OWrOnly,
            _ => LinuxCalls.ORdOnly,
        };
        flags |= LinuxCalls.OCloExec;
        flags |= mode.HasFlag(OpenMode.Create) ? LinuxCalls.OCreat : 0;
        flags |= mode.HasFlag(OpenMode.Exclusive) ? LinuxCalls.OExcl : 0;
        flags |= mode.HasFlag(OpenMode.Truncate) ? LinuxCalls.OTrunc : 0;
        flags |= mode.HasFlag(OpenMode.Append) ? LinuxCalls.OAppend : 0;
        var fd = LinuxCalls.Open(Full(path), flags, permissions);
        if (fd < 0)
            return Error();
        _open.Add(fd);
        return fd;
    }

    public FsResult<int> Read(int handle, long offset, Span<byte> buffer)
    {
        var total = 0;
        fixed (byte* start = buffer)
        {
            while (total < buffer.Length)
            {
                var n = LinuxCalls.PRead(handle, start + total, (nuint)(buffer.Length - total), offset + total);
                if (n < 0)
                    return Error();
                if (n == 0)
                    break;
                total += (int)n;
            }
        }

        return total;
    }

    public FsResult<int> Write(int handle, long offset, ReadOnlySpan<byte> data)
    {
        var total = 0;
        fixed (byte* start = data)
        {
            do
            {
                var n = LinuxCalls.PWrite(handle, start + total, (nuint)(data.Length - total), offset + total);
                if (n < 0)
                    return Error();
                total += (int)n;
            }
            while (total < data.Length);
        }

        return total;
    }

    public FsStatus Truncate(int handle, long size) => Done(LinuxCalls.FTruncate(handle, size));

    public FsStatus Allocate(int handle, long offset, long length, AllocateMode mode) =>
        Done(LinuxCalls.FAllocate(handle, mode switch { AllocateMode.Extend => 0, AllocateMode.KeepSize => 1, _ => 3 }, offset, length));

    public FsStatus Sync(int handle) => Done(LinuxCalls.FSync(handle));

    public FsResult<FileStat> StatHandle(int handle)
    {
        Stat stat;
        return LinuxCalls.FStat(handle, &stat) == 0 ? ToFileStat(stat) : Error();
    }

    public FsStatus Close(int handle)
    {
        _open.Remove(handle);
        return Done(LinuxCalls.Close(handle));
    }

    /// <summary>Closes what a failed case left open, so the mount can be unmounted.</summary>
    public void Dispose()
    {
        foreach (var fd in _open)
            LinuxCalls.Close(fd);
        _open.Clear();
    }
}
