using CacheFs.Content;
using CacheFs.Nodes;
using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>Attributes and sizes: setattr, truncate and allocation, each under the file's size lock.</summary>
public sealed partial class CacheVolume
{
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
            if (node.Value.OriginId != 0 && Leases is { } leases)
            {
                var leased = leases.AcquireForWrite(id);
                if (leased != FsStatus.Ok)
                    return leased;
            }
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
                if (changes.ChangesMetadata)
                    Queue(writer, OutboxKind.SetAttributes, id, PathOf(writer, id));
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
        // A size change writes the file: it counts as a writer, so its close queues the upload and lets the lease go.
        var writes = changes.Size is not null;
        var acquired = Acquire(id, writes);
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
            ReleaseFile(file, writes);
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
            file.Changes.WriteTo(writer, file.Id);
            if (changes.ChangesMetadata)
                Queue(writer, OutboxKind.SetAttributes, file.Id, PathOf(writer, file.Id));
            writer.Commit();
            file.Changes.Written();
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

        // The bytes a cut removes count as changed: the base's bytes there must not come back if the file grows again.
        if (!file.DirtyRecorded)
            file.Changes.Start(file.OriginVersion);
        file.Changes.Note(size, oldSize, size);
        file.DirtyRecorded = true;
        file.ContentGeneration++;
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

    private FsStatus AllocateLocked(LiveFile file, long offset, long length, AllocateMode mode)
    {
        var content = EnsureObjectLocked(file, create: true)!;
        if (mode == AllocateMode.PunchHole)
        {
            var end = Math.Min(offset + length, file.Size);
            if (end <= offset)
                return FsStatus.Ok;
            var noted = NoteChangeLocked(file, offset, end, file.Size);
            if (noted != FsStatus.Ok)
                return noted;
            var punched = NativeFile.PunchHole(content, offset, end - offset);
            if (punched != FsStatus.Ok)
                return punched;
            if (file.Content != ContentState.Complete)
                MarkPresentLocked(file, offset, end);
            file.ModifyTime = file.ChangeTime = Now();
            file.MetadataDirty = true;
            file.DirtyRecorded = true;
            file.ContentGeneration++;
            return FlushMetadataLocked(file);
        }

        var allocated = NativeFile.Allocate(content, offset, length, keepSize: true);
        if (allocated != FsStatus.Ok || mode == AllocateMode.KeepSize || offset + length <= file.Size)
            return allocated;
        return ChangeSizeLocked(file, offset + length, default);
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
}
