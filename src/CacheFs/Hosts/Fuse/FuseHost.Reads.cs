using System.Buffers;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// read. Cached bytes are answered on the worker thread that took the request. A read that must wait for the origin
/// answers from the fetch's continuation instead, so it does not hold one of libfuse's workers meanwhile: the request
/// and the buffer stay alive until then, and the session is not freed before every such answer is out.
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
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var pending = _volume.ReadAsync(handle, offset, buffer.AsMemory(0, length), _asyncReplies.Stopping);
        if (pending.IsCompleted)
            return AnswerRead(request, pending.GetAwaiter().GetResult(), buffer);
        _asyncReplies.AnswerLater(pending, (read, error) => AnswerLateRead(request, read, error, buffer));
        return Replied;
    }

    /// <summary>On the fetch's continuation: nothing may escape, and the request must be answered whatever happened.</summary>
    private void AnswerLateRead(nint request, FsResult<int> read, Exception? error, byte[] buffer)
    {
        if (error is OperationCanceledException)
            read = FsStatus.ContentUnavailable; // Unmounting: no one waits for the answer any more.
        else if (error is not null)
            read = FsStatus.IoError;
        try
        {
            if (error is not null and not OperationCanceledException)
                _log.Error(error, "FUSE callback {Callback} failed; answering EIO", nameof(OnRead));
        }
        catch (Exception)
        {
            // Logging must not keep the request from its answer.
        }

        Finish(request, AnswerRead(request, read, buffer));
    }

    /// <summary>Answers with the bytes read, or returns the errno; the buffer goes back to the pool either way.</summary>
    private static int AnswerRead(nint request, FsResult<int> read, byte[] buffer)
    {
        try
        {
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
