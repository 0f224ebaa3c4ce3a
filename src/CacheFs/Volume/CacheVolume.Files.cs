using CacheFs.Content;
using CacheFs.Nodes;
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

        var writes = (flags & OpenFlags.Write) != 0;
        if (writes && node.Value.OriginId != 0 && Leases is { } leases)
        {
            var leased = leases.AcquireForWrite(id);
            if (leased != FsStatus.Ok)
                return leased;
        }

        var acquired = Acquire(id, writes);
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
                ReleaseFile(file, writes);
                return truncated;
            }
        }

        var handle = Register(new OpenHandle(id, file, flags));
        return new OpenResult(handle, Overlay(node.Value), Created: false);
    }

    /// <summary>Writes at <paramref name="offset"/>, or at the end of file for append handles and WriteToEndOfFile.</summary>
    public FsResult<WriteResult> Write(ulong handle, long offset, ReadOnlySpan<byte> data, bool toEndOfFile = false)
    {
        var open = HandleOf(handle);
        if (open is null || !open.CanWrite)
            return FsStatus.BadHandle;
        if (open.File is not { } file)
            return FsStatus.IsDirectory;
        if (file.LeaseNeeded && RetakeLease(file) is var leased && leased != FsStatus.Ok)
            return leased;
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
            var status = FlushMetadata(file, queueUpload: true);
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
        return open.File is { } file ? ReleaseFile(file, open.CanWrite) : FsStatus.Ok;
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
        var noted = NoteChangeLocked(file, offset, end, Math.Max(file.Size, end));
        if (noted != FsStatus.Ok)
            return noted;
        var content = EnsureObjectLocked(file, create: true)!;
        file.ContentGeneration++;
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

    /// <summary>
    /// [start, end) is about to change. The first change to a clean file is recorded before its bytes land, so a crash
    /// never forgets that it needs uploading, and so is every range the file's change record did not cover yet (a
    /// crash leaves a record that covers every changed byte); a change that cannot be recorded must not happen.
    /// </summary>
    private FsStatus NoteChangeLocked(LiveFile file, long start, long end, long size)
    {
        var first = !file.DirtyRecorded;
        if (first)
        {
            file.DirtyRecorded = true;
            file.MetadataDirty = true;
            file.Changes.Start(file.OriginVersion);
        }

        file.Changes.Note(start, end, size);
        if (!first && !file.Changes.Unwritten)
            return FsStatus.Ok;
        var status = first ? FlushMetadataLocked(file) : WriteChangesLocked(file);
        if (status != FsStatus.Ok && first)
            file.DirtyRecorded = false;
        return status;
    }

    /// <summary>One small commit of what the file's change record noted since the last.</summary>
    private FsStatus WriteChangesLocked(LiveFile file) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                file.Changes.WriteTo(writer, file.Id);
                writer.Commit();
                file.Changes.Written();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

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

    private FsStatus FlushMetadata(LiveFile file, bool queueUpload = false)
    {
        lock (file.SizeLock)
            return FlushMetadataLocked(file, queueUpload);
    }

    /// <summary>
    /// Writes the in-memory size, times and ranges back to the journal. With <paramref name="queueUpload"/> (close and
    /// fsync of a mirrored volume), content changed since the last queued upload queues another in the same transaction.
    /// </summary>
    private FsStatus FlushMetadataLocked(LiveFile file, bool queueUpload = false)
    {
        var upload = queueUpload && Options.Outbox && file.DirtyRecorded && file.ContentGeneration != file.QueuedGeneration;
        if (!file.MetadataDirty && !upload && !file.Changes.Unwritten)
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
                file.Changes.WriteTo(writer, file.Id);
                if (upload)
                    Queue(writer, Remote.OutboxKind.Upload, file.Id, PathOf(writer, file.Id));
                writer.Commit();
                file.Changes.Written();
                file.MetadataDirty = false;
                if (upload)
                    file.QueuedGeneration = file.ContentGeneration;
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
    }

    private FsResult<LiveFile> Acquire(long id, bool writer = false)
    {
        lock (_liveLock)
        {
            if (_live.TryGetValue(id, out var file))
            {
                file.Users++;
                file.Writers += writer ? 1 : 0;
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
            file = new LiveFile(node, ranges, content: null) { Users = 1, Writers = writer ? 1 : 0 };
            if (node.Dirty)
            {
                var (baseVersion, changed) = _journal.Read(s => s.GetChanges(id));
                file.Changes.Load(baseVersion, changed);
            }

            _live[id] = file;
            return file;
        }
    }

    private FsStatus ReleaseFile(LiveFile file, bool writer = false)
    {
        lock (file.SizeLock)
        {
            // A read-only close changes nothing but the eviction hint: it waits in memory for a batch, not a commit.
            if (file.AccessDirty && !file.MetadataDirty)
                HintAccess(file.Id, file.LastAccess);
            else if (file.AccessDirty)
                file.MetadataDirty = true;
            file.AccessDirty = false;
        }

        var status = FlushMetadata(file, queueUpload: writer);
        bool last;
        bool lastWriter;
        lock (_liveLock)
        {
            last = --file.Users == 0;
            file.Writers -= writer ? 1 : 0;
            lastWriter = writer && file.Writers == 0;
            if (last)
                _live.TryRemove(file.Id, out _);
        }

        if (lastWriter && !file.Unlinked)
            Leases?.WritersClosed(file.Id);
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
}
