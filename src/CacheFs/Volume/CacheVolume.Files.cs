using CacheFs.Content;
using CacheFs.Nodes;
using CacheFs.Remote;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Volume;

/// <summary>Handles and content: open, read, write, flush, fsync, release, allocation and size changes.</summary>
public sealed partial class CacheVolume
{
    /// <summary>
    /// The largest file size, as on ext4 with 4 KiB blocks (the cache's own file system must hold it): 2^32 - 1 blocks,
    /// 16 TiB less one block. ext4 refuses the last block with EFBIG, which must never reach a write the core accepted.
    /// </summary>
    public const long MaxFileSize = (16L << 40) - 4096;

    public FsResult<OpenResult> Open(long id, OpenFlags flags)
    {
        var node = GetAttributes(id);
        if (!node.IsOk)
            return node.Status;
        if (node.Value.IsDirectory)
        {
            if ((flags & (OpenFlags.Write | OpenFlags.Truncate | OpenFlags.Append)) != 0)
                return FsStatus.IsDirectory;
            return new OpenResult(Register(new OpenHandle(id, null, flags)), node.Value, Created: false);
        }

        var acquired = Acquire(id);
        if (!acquired.TryGet(out var file))
            return acquired.Status;
        if ((flags & OpenFlags.Truncate) != 0 && (flags & OpenFlags.Write) != 0)
        {
            var truncated = Guard(() =>
            {
                lock (file.SizeLock)
                {
                    // O_TRUNC of an empty file changes no byte but still marks the file modified, as POSIX says.
                    return file.Size == 0
                        ? CommitAttributesLocked(file, new AttributeChanges { ModifyTime = Now() })
                        : ChangeSizeLocked(file, 0, default);
                }
            });
            if (truncated != FsStatus.Ok)
            {
                ReleaseFile(file);
                return truncated;
            }
        }

        var handle = Register(new OpenHandle(id, file, flags));
        return new OpenResult(handle, Overlay(node.Value), Created: false);
    }

    public FsResult<int> Read(ulong handle, long offset, Span<byte> buffer)
    {
        var prepared = PrepareRead(handle, offset, buffer.Length);
        if (!prepared.TryGet(out var read))
            return prepared.Status;
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
        var prepared = PrepareRead(handle, offset, buffer.Length);
        if (!prepared.TryGet(out var read))
            return prepared.Status;
        if (!read.Present)
        {
            var status = await FillAsync(read.File, offset, read.Length, cancellationToken).ConfigureAwait(false);
            if (status != FsStatus.Ok)
                return status;
        }

        return ReadPresent(read.File, offset, buffer.Span[..read.Length]);
    }

    /// <summary>Writes at <paramref name="offset"/>, or at the end of file for append handles and WriteToEndOfFile.</summary>
    public FsResult<WriteResult> Write(ulong handle, long offset, ReadOnlySpan<byte> data, bool toEndOfFile = false)
    {
        var open = HandleOf(handle);
        if (open is null || !open.CanWrite)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return FsStatus.IsDirectory;
        try
        {
            lock (file.SizeLock)
                return WriteLocked(file, open.Appends || toEndOfFile ? file.Size : offset, data);
        }
        catch (Exception e) when (IsFault(e))
        {
            return Fault(e);
        }
    }

    /// <summary>close(2)'s flush: the size and times reach the journal (not yet the disk).</summary>
    public FsStatus Flush(ulong handle)
    {
        var open = HandleOf(handle);
        if (open is null)
            return FsStatus.BadHandle;
        return open.File is { } file ? FlushMetadata(file) : FsStatus.Ok;
    }

    /// <summary>fsync / FlushFileBuffers: when this returns Ok, the file's data and all committed metadata survive a crash.</summary>
    public FsStatus Sync(ulong handle, bool dataOnly = false)
    {
        var open = HandleOf(handle);
        if (open is null)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return SyncVolume();
        return Guard(() =>
        {
            SafeFileHandle? content;
            bool newObject;
            lock (file.SizeLock)
            {
                // Open the object even if this session never touched it: fsync covers bytes an earlier process left dirty.
                content = EnsureObjectLocked(file, create: false);
                newObject = file.ObjectNameUnsynced;
                file.ObjectNameUnsynced = false;
            }

            if (content is not null)
                RandomAccess.FlushToDisk(content);
            if (newObject)
                NativeFile.SyncDirectory(Path.GetDirectoryName(_store.PathOf(file.Id))!);
            var status = FlushMetadata(file);
            if (status != FsStatus.Ok)
                return status;

            // fdatasync still needs the size and the name to survive, which live in the journal.
            _ = dataOnly;
            _journal.MakeDurable();
            return FsStatus.Ok;
        });
    }

    /// <summary>The last close of a handle: flushes metadata; the last handle of an unlinked file removes it.</summary>
    public FsStatus Release(ulong handle)
    {
        if (!_handles.TryRemove(handle, out var open))
            return FsStatus.BadHandle;
        return open.File is { } file ? ReleaseFile(file) : FsStatus.Ok;
    }

    public FsStatus Allocate(ulong handle, long offset, long length, AllocateMode mode)
    {
        var open = HandleOf(handle);
        if (open is null || !open.CanWrite)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return FsStatus.IsDirectory;
        if (offset < 0 || length <= 0)
            return FsStatus.InvalidArgument;
        if (offset > MaxFileSize - length) // offset + length, without overflowing
            return FsStatus.FileTooLarge;
        return Guard(() =>
        {
            lock (file.SizeLock)
                return AllocateLocked(file, offset, length, mode);
        });
    }

    /// <summary>Windows SetFileSize(SetAllocationSize): shrinking below the size truncates, growing reserves space.</summary>
    public FsStatus SetAllocationSize(ulong handle, long allocationSize)
    {
        var open = HandleOf(handle);
        if (open is null || !open.CanWrite)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return FsStatus.IsDirectory;
        if (allocationSize < 0)
            return FsStatus.InvalidArgument;
        return Guard(() =>
        {
            lock (file.SizeLock)
            {
                if (allocationSize < file.Size)
                    return ChangeSizeLocked(file, allocationSize, default);
                return allocationSize == 0 ? FsStatus.Ok : AllocateLocked(file, 0, allocationSize, AllocateMode.KeepSize);
            }
        });
    }

    public FsResult<NodeAttributes> SetAttributes(long id, AttributeChanges changes)
    {
        var node = GetAttributes(id);
        if (!node.IsOk)
            return node.Status;
        if (changes.Size is { } size)
        {
            if (node.Value.IsDirectory)
                return FsStatus.IsDirectory;
            if (node.Value.Kind != NodeKind.File || size < 0)
                return FsStatus.InvalidArgument;
            if (size > MaxFileSize)
                return FsStatus.FileTooLarge;
        }

        var status = node.Value.Kind == NodeKind.File ? SetFileAttributes(id, changes) : SetOtherAttributes(id, changes);
        return status == FsStatus.Ok ? GetAttributes(id) : status;
    }

    private FsStatus SetOtherAttributes(long id, AttributeChanges changes) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                var row = writer.GetNode(id);
                if (row is null)
                    return FsStatus.NotFound;
                writer.UpdateNode(Apply(row, changes, Now()));
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

    /// <summary>A file's attributes change through its live state, so the write path's in-memory size and times agree.</summary>
    private FsStatus SetFileAttributes(long id, AttributeChanges changes)
    {
        var acquired = Acquire(id);
        if (!acquired.TryGet(out var file))
            return acquired.Status;
        try
        {
            return Guard(() =>
            {
                lock (file.SizeLock)
                    return changes.Size is { } size && size != file.Size ? ChangeSizeLocked(file, size, changes) : CommitAttributesLocked(file, changes);
            });
        }
        finally
        {
            ReleaseFile(file);
        }
    }

    private FsStatus CommitAttributesLocked(LiveFile file, AttributeChanges changes)
    {
        var now = Now();
        var writer = _journal.BeginWrite();
        try
        {
            var row = writer.GetNode(file.Id);
            if (row is null)
                return FsStatus.NotFound;
            var updated = Apply(file.Overlay(row), changes, now);
            writer.UpdateNode(updated);
            if (file.Content == ContentState.Partial)
                writer.ReplaceRanges(file.Id, file.Ranges);
            writer.Commit();
            file.ModifyTime = updated.ModifyTime;
            file.ChangeTime = updated.ChangeTime;
            file.AccessTime = updated.AccessTime;
            file.MetadataDirty = false;
            return FsStatus.Ok;
        }
        finally
        {
            writer.End();
        }
    }

    /// <summary>
    /// Truncate or extend under the file's size lock. The journal commits the new size first, then the object is cut:
    /// after a crash in between, recovery cuts the object to the committed size, so bytes past EOF never reappear.
    /// The object itself exists before that commit: a crash then leaves it short, which recovery extends, never a row
    /// whose content is missing.
    /// </summary>
    internal FsStatus ChangeSizeLocked(LiveFile file, long size, AttributeChanges changes)
    {
        var content = EnsureObjectLocked(file, create: size > 0);
        var oldSize = file.Size;
        var oldState = file.Content;
        var ranges = file.Ranges.Clone();
        file.Size = size;
        if (file.Content != ContentState.Complete)
        {
            file.Ranges.TruncateTo(size);
            if (size > oldSize)
                file.Ranges.Add(oldSize, size);
            if (file.Ranges.Contains(0, size))
                file.Content = ContentState.Complete;
            else if (file.Ranges.Count > 0)
                file.Content = ContentState.Partial; // a placeholder that grew holds its extension (zeros), not the origin's bytes
        }

        file.DirtyRecorded = true;
        var now = Now();
        file.ModifyTime = now;
        file.ChangeTime = now;
        var status = CommitAttributesLocked(file, changes with { Size = null });
        if (status != FsStatus.Ok)
        {
            file.Size = oldSize;
            file.Content = oldState;
            file.Ranges.TruncateTo(0);
            foreach (var (start, end) in ranges)
                file.Ranges.Add(start, end);
            return status;
        }

        if (content is not null)
            RandomAccess.SetLength(content, size);
        return FsStatus.Ok;
    }

    private FsResult<WriteResult> WriteLocked(LiveFile file, long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0)
            return FsStatus.InvalidArgument;
        if (offset > MaxFileSize - data.Length) // offset + length, without overflowing
            return FsStatus.FileTooLarge;
        var end = offset + data.Length;
        if (data.Length == 0)
            return new WriteResult(0, offset, file.Size);
        if (!file.DirtyRecorded)
        {
            // The first change to a clean file is recorded before its bytes land, so a crash never forgets that it needs
            // uploading, and a write that cannot be recorded changes nothing.
            file.DirtyRecorded = true;
            file.MetadataDirty = true;
            var status = FlushMetadataLocked(file);
            if (status != FsStatus.Ok)
            {
                file.DirtyRecorded = false;
                return status;
            }
        }

        var content = EnsureObjectLocked(file, create: true)!;
        RandomAccess.Write(content, data, offset);
        if (file.Content != ContentState.Complete)
            MarkPresentLocked(file, Math.Min(offset, file.Size), end);
        file.Size = Math.Max(file.Size, end);
        var now = Now();
        file.ModifyTime = now;
        file.ChangeTime = now;
        file.MetadataDirty = true;
        return new WriteResult(data.Length, offset, file.Size);
    }

    private FsStatus AllocateLocked(LiveFile file, long offset, long length, AllocateMode mode)
    {
        var content = EnsureObjectLocked(file, create: true)!;
        if (mode == AllocateMode.PunchHole)
        {
            var end = Math.Min(offset + length, file.Size);
            if (end <= offset)
                return FsStatus.Ok;
            var punched = NativeFile.PunchHole(content, offset, end - offset);
            if (punched != FsStatus.Ok)
                return punched;
            if (file.Content != ContentState.Complete)
                MarkPresentLocked(file, offset, end);
            file.ModifyTime = file.ChangeTime = Now();
            file.MetadataDirty = true;
            file.DirtyRecorded = true;
            return FlushMetadataLocked(file);
        }

        var allocated = NativeFile.Allocate(content, offset, length, keepSize: true);
        if (allocated != FsStatus.Ok || mode == AllocateMode.KeepSize || offset + length <= file.Size)
            return allocated;
        return ChangeSizeLocked(file, offset + length, default);
    }

    internal SafeFileHandle? EnsureObjectLocked(LiveFile file, bool create)
    {
        if (file.Object is not null || (!create && file.Content == ContentState.Placeholder && file.Size == 0))
            return file.Object;
        var existed = create && _store.Exists(file.Id);
        file.Object = _store.Open(file.Id, create);
        if (create && !existed)
            file.ObjectNameUnsynced = true;
        return file.Object;
    }

    /// <summary>[start, end) now holds the file's true bytes; a file whose every byte is present becomes complete.</summary>
    internal static void MarkPresentLocked(LiveFile file, long start, long end)
    {
        file.Ranges.Add(start, end);
        if (file.Ranges.Contains(0, file.Size))
        {
            file.Content = ContentState.Complete;
            file.Ranges.TruncateTo(0);
        }
        else
        {
            file.Content = ContentState.Partial;
        }

        file.MetadataDirty = true;
    }

    private FsStatus FlushMetadata(LiveFile file)
    {
        lock (file.SizeLock)
            return FlushMetadataLocked(file);
    }

    private FsStatus FlushMetadataLocked(LiveFile file)
    {
        if (!file.MetadataDirty)
            return FsStatus.Ok;
        return Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                writer.UpdateContentMetadata(
                    file.Id,
                    file.Size,
                    file.ModifyTime,
                    file.ChangeTime,
                    file.AccessTime,
                    file.LastAccess,
                    file.Content,
                    file.CachedBytes,
                    file.DirtyRecorded);
                if (file.Content != ContentState.Complete)
                    writer.ReplaceRanges(file.Id, file.Ranges);
                writer.Commit();
                file.MetadataDirty = false;
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
    }

    private FsResult<LiveFile> Acquire(long id)
    {
        lock (_liveLock)
        {
            if (_live.TryGetValue(id, out var file))
            {
                file.Users++;
                return file;
            }

            if (_dying.Contains(id))
                return FsStatus.NotFound;
            var node = _journal.GetNode(id);
            if (node is null || node.LinkCount == 0)
                return FsStatus.NotFound;
            if (node.Kind != NodeKind.File)
                return node.IsDirectory ? FsStatus.IsDirectory : FsStatus.InvalidArgument;
            var ranges = node.Content == ContentState.Partial ? _journal.Read(s => s.GetRanges(id)) : null;
            file = new LiveFile(node, ranges, content: null) { Users = 1 };
            _live[id] = file;
            return file;
        }
    }

    private FsStatus ReleaseFile(LiveFile file)
    {
        lock (file.SizeLock)
        {
            if (file.AccessDirty)
                file.MetadataDirty = true;
            file.AccessDirty = false;
        }

        var status = FlushMetadata(file);
        bool last;
        lock (_liveLock)
        {
            last = --file.Users == 0;
            if (last)
                _live.TryRemove(file.Id, out _);
        }

        if (!last)
            return status;
        lock (file.SizeLock)
        {
            file.Object?.Dispose();
            file.Object = null;
        }

        if (file.Unlinked)
            RemoveUnlinked(file.Id);
        return status;
    }

    /// <summary>
    /// The last close of a file its unlink marked: removes it if the journal agrees it has no name left. The unlink may
    /// have rolled back after marking it (a failed commit); then the file keeps its name and its content.
    /// </summary>
    private void RemoveUnlinked(long id)
    {
        var status = Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                if (writer.GetNode(id) is not { LinkCount: 0 })
                    return FsStatus.NotFound;
                writer.DeleteNode(id);
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
        if (status == FsStatus.Ok)
            DeleteObject(id);
    }

    private ulong Register(OpenHandle open)
    {
        var handle = (ulong)Interlocked.Increment(ref _nextHandle);
        _handles[handle] = open;
        return handle;
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
            return new PreparedRead(file, available, available == 0 || file.IsPresent(offset, available));
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

    private async ValueTask<FsStatus> FillAsync(LiveFile file, long offset, int length, CancellationToken cancellationToken)
    {
        if (Fetcher is not { } fetcher)
            return FsStatus.ContentUnavailable;
        long size;
        lock (file.SizeLock)
            size = file.Size;
        var request = new ContentRequest(file.Id, file.OriginVersion, offset, length, size);
        var status = await fetcher.FetchAsync(request, new ObjectSink(this, file), cancellationToken).ConfigureAwait(false);
        if (status != FsStatus.Ok)
            return status;
        lock (file.SizeLock)
        {
            var end = Math.Min(offset + length, file.Size);
            return end <= offset || file.IsPresent(offset, end - offset) ? FsStatus.Ok : FsStatus.ContentUnavailable;
        }
    }

    private static NodeAttributes Apply(NodeAttributes node, AttributeChanges c, Timestamp now) => node with
    {
        Mode = c.Mode is { } mode ? mode & 0xFFF : node.Mode,
        Uid = c.Uid ?? node.Uid,
        Gid = c.Gid ?? node.Gid,
        AccessTime = c.AccessTime ?? node.AccessTime,
        ModifyTime = c.ModifyTime ?? node.ModifyTime,
        BirthTime = c.BirthTime ?? node.BirthTime,
        WindowsAttributes = c.WindowsAttributes ?? node.WindowsAttributes,
        ChangeTime = c.ChangeTime ?? now,
    };

    private readonly record struct PreparedRead(LiveFile File, int Length, bool Present);
}
