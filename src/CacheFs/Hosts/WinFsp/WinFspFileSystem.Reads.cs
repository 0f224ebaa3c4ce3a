namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// Read. Cached bytes are answered on the dispatcher thread that took the request. A read that must wait for the origin
/// returns STATUS_PENDING and is answered from the fetch's continuation with FileSystemHost.SendReadResponse, so it does
/// not hold one of the few dispatcher threads meanwhile (WinFsp keeps the request's buffer until that answer).
/// </summary>
internal sealed partial class WinFspFileSystem
{
    public override int Read(object FileNode, object FileDesc, IntPtr Buffer, ulong Offset, uint Length, out uint BytesTransferred)
    {
        BytesTransferred = 0;
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (file.Handle == WinFspFile.NoHandle)
            return NtStatus.AccessDenied; // A symlink or fifo: no data Windows may read.
        if (Offset > long.MaxValue)
            return NtStatus.EndOfFile;
        var length = (int)Math.Min(Length, int.MaxValue);
        var pending = _volume.ReadAsync(file.Handle, (long)Offset, new NativeBuffer(Buffer, length).Memory, _lateReads.Stopping);
        if (pending.IsCompleted)
            return Answer(pending.GetAwaiter().GetResult(), length, out BytesTransferred);
        if (_replies is not { } replies)
            return Answer(pending.AsTask().GetAwaiter().GetResult(), length, out BytesTransferred); // Not mounted: no one to answer later.

        var hint = replies.RequestHint();
        _lateReads.AnswerLater(pending, (read, error) => AnswerLate(replies, hint, read, error, length));
        return NtStatus.Pending;
    }

    /// <summary>On the fetch's continuation: nothing may escape, and the request must be answered whatever happened.</summary>
    private void AnswerLate(IReadReplies replies, ulong hint, FsResult<int> read, Exception? error, int length)
    {
        if (error is OperationCanceledException)
            read = FsStatus.ContentUnavailable; // Unmounting: no one waits for the answer any more.
        else if (error is not null)
            read = FsStatus.IoError;
        try
        {
            if (error is not null and not OperationCanceledException)
                _log.Error(error, "A read waiting on the origin failed; answering an I/O error");
            var status = Answer(read, length, out var transferred);
            replies.SendReadResponse(hint, status, transferred);
        }
        catch (Exception e)
        {
            // The continuation runs on the thread pool: an exception here would end the process.
            _log.Error(e, "Could not answer a pending read");
        }
    }

    /// <summary>Bytes read, or why none: a read that starts at or past the end of file is STATUS_END_OF_FILE.</summary>
    private static int Answer(FsResult<int> read, int length, out uint transferred)
    {
        transferred = 0;
        if (!read.IsOk)
            return NtStatus.Of(read.Status);
        if (read.Value == 0 && length > 0)
            return NtStatus.EndOfFile;
        transferred = (uint)read.Value;
        return NtStatus.Success;
    }
}
