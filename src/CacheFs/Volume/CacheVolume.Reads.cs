using CacheFs.Remote;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Volume;

/// <summary>Reads: served from the content object, missing ranges filled through the fetcher first.</summary>
public sealed partial class CacheVolume
{
    public FsResult<int> Read(ulong handle, long offset, Span<byte> buffer)
    {
        var prepared = PrepareRead(handle, offset, buffer.Length);
        if (!prepared.TryGet(out var read))
            return prepared.Status;
        if (read.Observe is { } observed)
            Fetcher?.Reading(observed);
        if (!read.Present)
        {
            var fill = FillAsync(read.File, offset, read.Length, CancellationToken.None);
            var status = fill.IsCompletedSuccessfully ? fill.Result : fill.AsTask().GetAwaiter().GetResult();
            if (status != FsStatus.Ok)
                return status;
        }

        return ReadPresent(read.File, offset, buffer[..read.Length]);
    }

    /// <summary>Completes synchronously when the range is cached; awaits the fetcher (off the caller's thread) when not.</summary>
    public async ValueTask<FsResult<int>> ReadAsync(ulong handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAndFillAsync(handle, offset, buffer.Length, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGet(out var read))
            return prepared.Status;

        return ReadPresent(read.File, offset, buffer.Span[..read.Length]);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for a host that can send a file range to the kernel without copying it (FUSE splice):
    /// fills what is missing the same way, then names the range of the content object that holds the answer.
    /// </summary>
    public async ValueTask<FsResult<ContentSlice>> LocateAsync(ulong handle, long offset, int length, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAndFillAsync(handle, offset, length, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGet(out var read))
            return prepared.Status;

        if (read.Length == 0)
            return new ContentSlice(null, offset, 0);
        try
        {
            SafeFileHandle? content;
            lock (read.File.SizeLock)
                content = EnsureObjectLocked(read.File, create: false);
            var inObject = content is not null && RandomAccess.GetLength(content) >= offset + read.Length;
            return new ContentSlice(inObject ? content : null, offset, read.Length);
        }
        catch (Exception e) when (IsFault(e))
        {
            return Fault(e);
        }
    }

    /// <summary>The read both <see cref="ReadAsync"/> and <see cref="LocateAsync"/> answer, with what is missing fetched first.</summary>
    private async ValueTask<FsResult<PreparedRead>> PrepareAndFillAsync(ulong handle, long offset, int length, CancellationToken cancellationToken)
    {
        var prepared = PrepareRead(handle, offset, length);
        if (!prepared.TryGet(out var read))
            return prepared.Status;
        if (read.Observe is { } observed)
            Fetcher?.Reading(observed);
        if (!read.Present)
        {
            var status = await FillAsync(read.File, offset, read.Length, cancellationToken).ConfigureAwait(false);
            if (status != FsStatus.Ok)
                return status;
        }

        return read;
    }

    private FsResult<PreparedRead> PrepareRead(ulong handle, long offset, int length)
    {
        var open = HandleOf(handle);
        if (open is null || !open.CanRead)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return FsStatus.IsDirectory;
        if (offset < 0)
            return FsStatus.InvalidArgument;
        lock (file.SizeLock)
        {
            file.LastAccess = Now();
            file.AccessDirty = true;
            var available = (int)Math.Clamp(file.Size - offset, 0, length);
            var observe = file.Content == Nodes.ContentState.Complete || Fetcher is null
                ? (ContentRequest?)null
                : new ContentRequest(file.Id, file.OriginVersion, offset, available, file.Size);
            return new PreparedRead(file, available, available == 0 || file.IsPresent(offset, available), observe);
        }
    }

    private FsResult<int> ReadPresent(LiveFile file, long offset, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        try
        {
            SafeFileHandle? content;
            lock (file.SizeLock)
                content = EnsureObjectLocked(file, create: false);
            var total = 0;
            while (content is not null && total < buffer.Length)
            {
                var n = RandomAccess.Read(content, buffer[total..], offset + total);
                if (n == 0)
                    break;
                total += n;
            }

            // Past the object's end the file is a hole (a sparse extension): zeros.
            buffer[total..].Clear();
            return buffer.Length;
        }
        catch (Exception e) when (IsFault(e))
        {
            return Fault(e);
        }
    }

    private async ValueTask<FsStatus> FillAsync(LiveFile file, long offset, int length, CancellationToken cancellationToken, bool readAhead = false)
    {
        if (Fetcher is not { } fetcher)
            return FsStatus.ContentUnavailable;
        long size;
        string version;
        lock (file.SizeLock)
        {
            size = file.Size;
            version = file.OriginVersion;
        }

        var request = new ContentRequest(file.Id, version, offset, length, size) { ReadAhead = readAhead };
        var status = await fetcher.FetchAsync(request, new ObjectSink(this, file), cancellationToken).ConfigureAwait(false);
        if (status != FsStatus.Ok)
            return status;
        lock (file.SizeLock)
        {
            var end = Math.Min(offset + length, file.Size);
            return end <= offset || file.IsPresent(offset, end - offset) ? FsStatus.Ok : FsStatus.ContentUnavailable;
        }
    }

    private readonly record struct PreparedRead(LiveFile File, int Length, bool Present, ContentRequest? Observe);
}
