using System.Buffers;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// read. Cached bytes are answered on the worker thread that took the request. A read that must wait for the origin
/// is answered once the fetch completes, by one of <see cref="AsyncReplies"/>' threads, so it does not hold one of
/// libfuse's workers meanwhile: the request stays alive until then, and the session is not freed before every such
/// answer is out. The bytes are spliced from the content object to /dev/fuse: they do not pass through our memory.
/// </summary>
/// <remarks>
/// Interrupts are not handled. With async_read and async_dio the kernel sends almost every read as a background
/// request, which it never interrupts (a reader killed meanwhile is not held up; the answer finds no one waiting). The
/// rare synchronous read that gets a signal (a page fault with readahead off) waits for the fetch. Answering EINTR from
/// libfuse's interrupt callback would need the request kept from being freed under it, for little gain.
/// </remarks>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static void OnRead(nint request, ulong inode, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Read(request, size, offset, fi->Handle));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    private int Read(nint request, nuint size, long offset, ulong handle)
    {
        var length = (int)Math.Min(size, (nuint)Array.MaxLength);
        var pending = _volume.LocateAsync(handle, offset, length, _asyncReplies.Stopping);
        if (pending.IsCompleted)
            return AnswerRead(request, pending.GetAwaiter().GetResult(), handle);
        _asyncReplies.AnswerLaterFromOwnThread(pending, (slice, error) => AnswerLateRead(request, slice, error, handle));
        return Replied;
    }

    /// <summary>On an answering thread: nothing may escape, and the request must be answered whatever happened.</summary>
    private void AnswerLateRead(nint request, FsResult<ContentSlice> located, Exception? error, ulong handle)
    {
        if (error is OperationCanceledException)
            located = FsStatus.ContentUnavailable; // Unmounting: no one waits for the answer any more.
        else if (error is not null)
            located = FsStatus.IoError;
        try
        {
            if (error is not null and not OperationCanceledException)
                _log.Error(error, "FUSE callback {Callback} failed; answering EIO", nameof(OnRead));
        }
        catch (Exception)
        {
            // Logging must not keep the request from its answer.
        }

        try
        {
            Finish(request, AnswerRead(request, located, handle));
        }
        catch (Exception e)
        {
            Crashed(request, e, nameof(OnRead));
        }
    }

    /// <summary>Answers with the bytes located (spliced from the content object when they are all in it), or returns the errno.</summary>
    private int AnswerRead(nint request, FsResult<ContentSlice> located, ulong handle)
    {
        if (!located.TryGet(out var slice))
            return Errno.Of(located.Status);
        if (slice.Object is { } content && TrySplice(request, content, slice))
            return Replied;
        if (slice.Length == 0)
        {
            _ = LibFuse.ReplyBuffer(request, null, 0);
            return Replied;
        }

        return CopyRead(request, handle, slice.Offset, slice.Length);
    }

    /// <summary>False, having answered nothing, when the object was closed meanwhile (evicted, replaced).</summary>
    private static bool TrySplice(nint request, SafeFileHandle content, ContentSlice slice)
    {
        var added = false;
        try
        {
            content.DangerousAddRef(ref added);
            var buffers = FuseBufVec.OfFile((int)content.DangerousGetHandle(), slice.Offset, slice.Length);
            _ = LibFuse.ReplyData(request, &buffers, 0);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
                content.DangerousRelease();
        }
    }

    /// <summary>The bytes through a buffer: a hole past the object's end, or an object closed since it was located.</summary>
    private int CopyRead(nint request, ulong handle, long offset, int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = _volume.Read(handle, offset, buffer.AsSpan(0, length));
            if (!read.IsOk)
                return Errno.Of(read.Status);
            fixed (byte* bytes = buffer)
                _ = LibFuse.ReplyBuffer(request, bytes, (nuint)read.Value);
            return Replied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
