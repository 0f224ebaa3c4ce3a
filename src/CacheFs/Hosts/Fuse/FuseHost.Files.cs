using System.Buffers;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>open, create, read, write, flush, release, fsync, fallocate, copy_file_range.</summary>
internal sealed unsafe partial class FuseHost
{
    /// <summary>A copy_file_range request copies at most this much; the caller loops for the rest.</summary>
    private const int MaxCopyPerRequest = 16 << 20;
    private const int CopyChunk = 1 << 20;

    [UnmanagedCallersOnly]
    private static int OnOpen(byte* path, FuseFileInfo* fi)
    {
        try
        {
            return Current.Open(path, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnCreate(byte* path, uint mode, FuseFileInfo* fi)
    {
        try
        {
            return Current.Create(path, mode, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRead(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            return Current.Read(buffer, size, offset, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnWrite(byte* path, byte* data, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            return Current.Write(data, size, offset, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnFlush(byte* path, FuseFileInfo* fi)
    {
        try
        {
            return Errno.Reply(Current._volume.Flush(fi->Handle));
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRelease(byte* path, FuseFileInfo* fi)
    {
        try
        {
            return Current.Release(fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnFsync(byte* path, int dataOnly, FuseFileInfo* fi)
    {
        try
        {
            return Errno.Reply(Current._volume.Sync(fi->Handle, dataOnly != 0));
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnFallocate(byte* path, int mode, long offset, long length, FuseFileInfo* fi)
    {
        try
        {
            return Current.Fallocate(mode, offset, length, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static nint OnCopyFileRange(byte* pathIn, FuseFileInfo* fiIn, long offsetIn, byte* pathOut, FuseFileInfo* fiOut, long offsetOut, nuint size, int flags)
    {
        try
        {
            return Current.CopyFileRange(fiIn, offsetIn, fiOut, offsetOut, size, flags);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    private int Open(byte* path, FuseFileInfo* fi)
    {
        var node = Resolve(path);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        var opened = _volume.Open(node.Value.Id, FlagsOf(fi->Flags));
        if (!opened.TryGet(out var open))
            return Errno.Reply(opened.Status);
        fi->Handle = open.Handle;
        fi->KeepCache = _kernelCache.Open(open.Attributes);
        return 0;
    }

    private int Create(byte* path, uint mode, FuseFileInfo* fi)
    {
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        var owner = Owner(parent, mode, directory: false);
        var created = _volume.Create(parent.Id, name, owner, FlagsOf(fi->Flags), exclusive: (fi->Flags & Posix.O_EXCL) != 0);
        if (!created.TryGet(out var open))
            return Errno.Reply(created.Status);
        fi->Handle = open.Handle;
        fi->KeepCache = _kernelCache.Open(open.Attributes);
        return 0;
    }

    private int Read(byte* buffer, nuint size, long offset, FuseFileInfo* fi)
    {
        var read = _volume.Read(fi->Handle, offset, new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue)));
        return read.IsOk ? read.Value : Errno.Reply(read.Status);
    }

    private int Write(byte* data, nuint size, long offset, FuseFileInfo* fi)
    {
        var written = _volume.Write(fi->Handle, offset, new ReadOnlySpan<byte>(data, (int)Math.Min(size, int.MaxValue)));
        return written.IsOk ? written.Value.Written : Errno.Reply(written.Status);
    }

    private int Release(FuseFileInfo* fi)
    {
        var writable = (fi->Flags & Posix.O_ACCMODE) != Posix.O_RDONLY;
        FsResult<long> node = writable ? _volume.NodeOfHandle(fi->Handle) : FsStatus.BadHandle;
        var status = _volume.Release(fi->Handle);
        if (node.IsOk && _volume.GetAttributes(node.Value).TryGet(out var after))
            _kernelCache.Release(after);
        return Errno.Reply(status);
    }

    private int Fallocate(int mode, long offset, long length, FuseFileInfo* fi)
    {
        AllocateMode? allocate = mode switch
        {
            0 => AllocateMode.Extend,
            Posix.FALLOC_FL_KEEP_SIZE => AllocateMode.KeepSize,
            Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE => AllocateMode.PunchHole,
            _ => null, // Collapse, insert and zero ranges are not in the core.
        };
        if (allocate is null)
            return -Errno.EOPNOTSUPP;
        return Errno.Reply(_volume.Allocate(fi->Handle, offset, length, allocate.Value));
    }

    /// <summary>Copies inside the cache, sparing the kernel a round trip of every byte through its page cache and back.</summary>
    private nint CopyFileRange(FuseFileInfo* from, long fromOffset, FuseFileInfo* to, long toOffset, nuint size, int flags)
    {
        if (flags != 0)
            return -Errno.EINVAL;
        var total = (long)Math.Min(size, MaxCopyPerRequest);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(total, CopyChunk));
        try
        {
            long copied = 0;
            while (copied < total)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, total - copied));
                var read = _volume.Read(from->Handle, fromOffset + copied, chunk);
                if (!read.IsOk)
                    return copied > 0 ? (nint)copied : Errno.Reply(read.Status);
                if (read.Value == 0)
                    break;
                var written = _volume.Write(to->Handle, toOffset + copied, chunk[..read.Value]);
                if (!written.IsOk)
                    return copied > 0 ? (nint)copied : Errno.Reply(written.Status);
                copied += read.Value;
                if (read.Value < chunk.Length)
                    break; // End of file.
            }

            return (nint)copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static OpenFlags FlagsOf(int flags)
    {
        var result = (flags & Posix.O_ACCMODE) switch
        {
            Posix.O_WRONLY => OpenFlags.Write,
            Posix.O_RDWR => OpenFlags.ReadWrite,
            _ => OpenFlags.Read,
        };
        if ((flags & Posix.O_APPEND) != 0)
            result |= OpenFlags.Append;
        if ((flags & Posix.O_TRUNC) != 0)
            result |= OpenFlags.Truncate;
        return result;
    }
}
