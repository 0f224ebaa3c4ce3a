using System.Buffers;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>open, create, write, flush, release, fsync, fallocate, copy_file_range (read is in FuseHost.Reads.cs).</summary>
internal sealed unsafe partial class FuseHost
{
    /// <summary>A copy_file_range request copies at most this much; the caller loops for the rest.</summary>
    private const int MaxCopyPerRequest = 16 << 20;
    private const int CopyChunk = 1 << 20;

    [UnmanagedCallersOnly]
    private static void OnOpen(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Open(request, inode, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCreate(nint request, ulong parent, byte* name, uint mode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Create(request, parent, name, mode, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnWrite(nint request, ulong inode, byte* data, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Write(request, data, size, offset, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnFlush(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Flush(request, inode, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnRelease(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Release(request, inode, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnFsync(nint request, ulong inode, int dataOnly, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Errno.Of(Of(request)._volume.Sync(fi->Handle, dataOnly != 0)));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnFallocate(nint request, ulong inode, int mode, long offset, long length, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Fallocate(mode, offset, length, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCopyFileRange(
        nint request, ulong inodeIn, long offsetIn, FuseFileInfo* fiIn, ulong inodeOut, long offsetOut, FuseFileInfo* fiOut, nuint size, int flags)
    {
        try
        {
            Finish(request, Of(request).CopyFileRange(request, fiIn, offsetIn, fiOut, offsetOut, size, flags));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    private int Open(nint request, ulong inode, FuseFileInfo* fi)
    {
        var opened = _volume.Open((long)inode, FlagsOf(fi->Flags));
        if (!opened.TryGet(out var open))
            return Errno.Of(opened.Status);
        fi->Handle = open.Handle;
        fi->KeepCache = _kernelCache.Open(open.Attributes);
        if (LibFuse.ReplyOpen(request, fi) != 0)
            _volume.Release(open.Handle); // Interrupted: the kernel never saw the handle, so it never releases it.
        return Replied;
    }

    private int Create(nint request, ulong parent, byte* name, uint mode, FuseFileInfo* fi)
    {
        var status = ParentAndName(parent, name, out var directory, out var decoded);
        if (status != FsStatus.Ok)
            return Errno.Of(status);
        var owner = Owner(request, directory, mode, directory: false);
        var created = _volume.Create(directory.Id, decoded, owner, FlagsOf(fi->Flags), exclusive: (fi->Flags & Posix.O_EXCL) != 0);
        if (!created.TryGet(out var open))
            return Errno.Of(created.Status);
        fi->Handle = open.Handle;
        fi->KeepCache = _kernelCache.Open(open.Attributes);
        FuseEntryParam entry;
        FillEntry(&entry, open.Attributes);
        _inodes.Looked(open.Attributes.Id);
        if (LibFuse.ReplyCreate(request, &entry, fi) != 0)
        {
            // The name stays (as after any create the caller did not see finish); the handle and the lookup were never taken.
            _inodes.Forget(open.Attributes.Id, 1);
            _volume.Release(open.Handle);
        }

        return Replied;
    }

    private int Write(nint request, byte* data, nuint size, long offset, FuseFileInfo* fi)
    {
        var written = _volume.Write(fi->Handle, offset, new ReadOnlySpan<byte>(data, (int)Math.Min(size, int.MaxValue)));
        if (!written.IsOk)
            return Errno.Of(written.Status);
        _ = LibFuse.ReplyWrite(request, (nuint)written.Value.Written);
        return Replied;
    }

    private int Release(nint request, ulong inode, FuseFileInfo* fi)
    {
        var status = _volume.Release(fi->Handle);
        var writable = (fi->Flags & Posix.O_ACCMODE) != Posix.O_RDONLY;
        if (writable && _volume.GetAttributes((long)inode).TryGet(out var after))
            _kernelCache.Release(after);
        return fi->FlockRelease ? ReleaseFlocks(request, inode, fi->LockOwner, Errno.Of(status)) : Errno.Of(status);
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
        return allocate is null ? Errno.EOPNOTSUPP : Errno.Of(_volume.Allocate(fi->Handle, offset, length, allocate.Value));
    }

    /// <summary>Copies inside the cache, sparing the kernel a round trip of every byte through its page cache and back.</summary>
    private int CopyFileRange(nint request, FuseFileInfo* from, long fromOffset, FuseFileInfo* to, long toOffset, nuint size, int flags)
    {
        if (flags != 0)
            return Errno.EINVAL;
        var total = (long)Math.Min(size, MaxCopyPerRequest);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(total, CopyChunk));
        long copied = 0;
        var failure = FsStatus.Ok;
        try
        {
            while (copied < total)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, total - copied));
                var read = _volume.Read(from->Handle, fromOffset + copied, chunk);
                if (!read.IsOk)
                {
                    failure = read.Status;
                    break;
                }

                if (read.Value == 0)
                    break;
                var written = _volume.Write(to->Handle, toOffset + copied, chunk[..read.Value]);
                if (!written.IsOk)
                {
                    failure = written.Status;
                    break;
                }

                copied += read.Value;
                if (read.Value < chunk.Length)
                    break; // End of file.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (copied == 0 && failure != FsStatus.Ok)
            return Errno.Of(failure);
        _ = LibFuse.ReplyWrite(request, (nuint)copied);
        return Replied;
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
