using CacheFs.Journal;
using CacheFs.Nodes;
using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>
/// The outbox: on a mirrored volume (<see cref="VolumeOptions.Outbox"/>) every change queues an entry in the same
/// transaction as the change, and the sync engine replays the entries in order against the origin. Online and offline
/// are the same path: offline, the entries wait.
/// </summary>
public sealed partial class CacheVolume
{
    /// <summary>Fills directories the origin has and the cache has not listed; null for a local volume.</summary>
    public IDirectoryLister? Lister { get; set; }

    /// <summary>The origin's write leases; null for a local volume.</summary>
    public IWriteLeases? Leases { get; set; }

    /// <summary>Locks kept by the origin; null for a local volume, whose host leaves locking to the OS.</summary>
    public IByteRangeLocks? Locks { get; set; }

    /// <summary>Raised after a commit that queued outbox entries, inside the journal's write lock: handlers only signal.</summary>
    public Action? OutboxChanged
    {
        get => _journal.OutboxAppended;
        set => _journal.OutboxAppended = value;
    }

    /// <summary>A value the sync engine keeps with the volume (its change cursor, the origin it mirrors).</summary>
    public string? ReadSetting(string key) => _journal.Read(s => s.GetSetting("sync." + key));

    public FsStatus WriteSetting(string key, string value) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                writer.SetSetting("sync." + key, value);
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

    /// <summary>
    /// Brings [offset, offset + length) of a file into the cache without a handle: read-ahead, and a pin's hydration.
    /// The file is held open meanwhile, so what arrives lands in its live state.
    /// </summary>
    public async ValueTask<FsStatus> PrefetchAsync(long id, long offset, long length, CancellationToken cancellationToken)
    {
        if (!Acquire(id).TryGet(out var file))
            return FsStatus.NotFound;
        try
        {
            int available;
            lock (file.SizeLock)
            {
                available = (int)Math.Clamp(file.Size - offset, 0, Math.Min(length, int.MaxValue));
                if (available == 0 || file.IsPresent(offset, available))
                    return FsStatus.Ok;
            }

            return await FillAsync(file, offset, available, cancellationToken, readAhead: true).ConfigureAwait(false);
        }
        finally
        {
            ReleaseFile(file);
        }
    }

    /// <summary>The oldest queued changes after <paramref name="afterSequence"/>, in the order of effect.</summary>
    public IReadOnlyList<OutboxEntry> ReadOutbox(long afterSequence, int limit) => _journal.Read(s => s.ReadOutbox(afterSequence, limit));

    public long OutboxLength => _journal.Read(s => s.CountOutbox());

    /// <summary>The bytes the uploads waiting in the outbox will send (changed ranges where only those go up).</summary>
    public long OutboxBytes => _journal.Read(s => s.SumOutboxUploadBytes());

    /// <summary>The newest queued change's sequence (0 when none): a flush waits until the replay is past it.</summary>
    public long OutboxTail => _journal.Read(s => s.OutboxTail());

    /// <summary>The newest change ever queued (0 when none): a change queued since a given moment moves it.</summary>
    public long OutboxLastQueued => _journal.Read(s => s.OutboxLastQueued());

    /// <summary>Whether every change queued up to <paramref name="sequence"/> has reached the origin (the replay is strictly in order).</summary>
    public bool OutboxSentThrough(long sequence) => _journal.Read(s => s.OutboxHead()) is var head && (head == 0 || head > sequence);

    /// <summary>Whether a queued change still mentions the node.</summary>
    public bool HasQueuedChanges(long id) => _journal.Read(s => s.HasQueuedChanges(id));

    /// <summary>The node's path from the root as the origin spells it ("" for the root), or null if it has no name.</summary>
    public string? PathOf(long id) => _journal.Read(s => s.PathOf(id));

    /// <summary>
    /// The origin applied <paramref name="entry"/>: the entry leaves the outbox, and the node learns its origin id and,
    /// for a new file, the version its (empty) content is based on. <paramref name="movedAside"/>: the origin made or
    /// put the node at To instead of From, and the node's queued changes that name it by From follow it there.
    /// </summary>
    public FsStatus CompleteOutbox(OutboxEntry entry, long originId = 0, string? contentVersion = null, (string From, string To)? movedAside = null)
    {
        var version = entry.Kind == OutboxKind.MakeNode ? contentVersion : null;

        // A file's origin identity lives in its live state too (an upload reads it there): hold the file while both change.
        if (originId != 0 && Acquire(entry.NodeId).TryGet(out var file))
        {
            try
            {
                lock (file.SizeLock)
                {
                    var status = CompleteOutboxLocked(entry, originId, version, movedAside, file);
                    if (status == FsStatus.Ok)
                    {
                        file.OriginId = originId;
                        file.OriginVersion = version ?? file.OriginVersion;
                    }

                    return status;
                }
            }
            finally
            {
                ReleaseFile(file);
            }
        }

        return CompleteOutboxLocked(entry, originId, version, movedAside, file: null);
    }

    private FsStatus CompleteOutboxLocked(OutboxEntry entry, long originId, string? contentVersion, (string From, string To)? movedAside, LiveFile? file) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                writer.DeleteOutbox(entry.Sequence);
                if (movedAside is var (from, to))
                    writer.RetargetQueued(entry.NodeId, entry.Sequence, from, to);
                if (originId != 0 && writer.GetNode(entry.NodeId) is { } node)
                {
                    node = file?.Overlay(node) ?? node;
                    writer.UpdateNode(node with { OriginId = originId, OriginVersion = contentVersion ?? node.OriginVersion });
                }

                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

    /// <summary>
    /// Opens the current bytes of a file for upload, first fetching what is missing (an edit of a partly cached file
    /// uploads the whole file). Dispose the source when done; <see cref="FinishUpload"/> records success.
    /// </summary>
    public async ValueTask<FsResult<UploadSource>> OpenUploadAsync(long id, CancellationToken cancellationToken)
    {
        var acquired = Acquire(id);
        if (!acquired.TryGet(out var file))
            return acquired.Status;
        var source = new UploadSource(this, file);
        long size;
        lock (file.SizeLock)
            size = file.Size;
        const int Chunk = 16 << 20;
        for (long offset = 0; offset < size; offset += Chunk)
        {
            var length = (int)Math.Min(Chunk, size - offset);
            bool present;
            lock (file.SizeLock)
                present = file.IsPresent(offset, Math.Min(length, Math.Max(0, file.Size - offset)));
            if (present)
                continue;
            var status = await FillAsync(file, offset, length, cancellationToken).ConfigureAwait(false);
            if (status != FsStatus.Ok)
            {
                source.Dispose();
                return status;
            }
        }

        lock (file.SizeLock)
        {
            EnsureObjectLocked(file, create: true);
            source.Start(file.Size, file.ContentGeneration, file.OriginVersion, file.OriginId, file.Changes.For(file.OriginVersion, file.Size));
        }

        return source;
    }

    /// <summary>
    /// The origin stored <paramref name="source"/>'s bytes as <paramref name="contentVersion"/>: the upload's entry
    /// leaves the outbox, and the file is clean again unless it changed while the bytes were read. After a conflict copy
    /// the caller passes the old base version: the file is then clean (so the origin's version may replace it) only if
    /// it was not written meanwhile; bytes written since stay dirty and go up as another conflict copy, so nothing is lost.
    /// </summary>
    public FsStatus FinishUpload(UploadSource source, OutboxEntry entry, long originId, string contentVersion)
    {
        var file = source.File;
        lock (file.SizeLock)
        {
            return Guard(() =>
            {
                var writer = _journal.BeginWrite();
                try
                {
                    writer.DeleteOutbox(entry.Sequence);
                    writer.MoveQueuedRemovalBase(file.Id, entry.Sequence, contentVersion);
                    var clean = file.ContentGeneration == source.Generation;
                    if (writer.GetNode(file.Id) is { } row)
                        writer.UpdateNode(file.Overlay(row) with { OriginId = originId, OriginVersion = contentVersion, Dirty = file.DirtyRecorded && !clean });

                    // Clean: the change record goes in this same commit. Written meanwhile: the record (a superset of what
                    // differs from the version just made, since nothing was dropped from it) counts from that version.
                    if (clean)
                    {
                        file.Changes.Clear();
                        writer.WriteChanges(file.Id, baseVersion: null, restart: true, []);
                    }
                    else
                    {
                        file.Changes.Rebase(contentVersion);
                        file.Changes.WriteTo(writer, file.Id);
                    }

                    writer.Commit();
                    file.Changes.Written();
                    file.OriginVersion = contentVersion;
                    file.OriginId = originId;
                    if (clean)
                        file.DirtyRecorded = false;
                    file.MetadataDirty = false;
                    return FsStatus.Ok;
                }
                finally
                {
                    writer.End();
                }
            });
        }
    }

    internal void EndUpload(LiveFile file) => ReleaseFile(file);

    internal static int ReadForUpload(LiveFile file, long offset, Span<byte> buffer) =>
        file.Object is { } content ? RandomAccess.Read(content, buffer, offset) : 0;

    /// <summary>
    /// After a crash: dirty files whose upload was not queued (the close never happened) are queued now. Other queued
    /// entries of the file (its MakeNode, a chmod) do not carry its bytes, so only a queued upload counts.
    /// </summary>
    private void QueueLostUploads()
    {
        if (!Options.Outbox)
            return;
        var lost = _journal.Read(s => s.ListFiles().Where(f => f.Dirty && !s.HasQueuedUpload(f.Id)).Select(f => f.Id).ToList());
        if (lost.Count == 0)
            return;
        _ = Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                foreach (var id in lost)
                {
                    if (writer.PathOf(id) is { } path)
                        writer.AppendOutbox(OutboxKind.Upload, id, path);
                }

                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
        _log.Information("Queued {Count} uploads of files changed before the last shutdown", lost.Count);
    }

    private void Queue(JournalWriter w, OutboxKind kind, long node, string? path, string? newPath = null, int flags = 0, string? name = null, string? baseVersion = null, long target = 0)
    {
        if (Options.Outbox && path is not null)
            w.AppendOutbox(kind, node, path, newPath, flags, name, baseVersion, target);
    }

    /// <summary>The origin path of <paramref name="name"/> in <paramref name="parent"/>; computed only on a mirrored volume.</summary>
    private string? PathIn(JournalWriter w, long parent, string name) =>
        Options.Outbox && w.PathOf(parent) is { } directory ? (directory.Length == 0 ? name : directory + "/" + name) : null;

    private string? PathOf(JournalWriter w, long id) => Options.Outbox ? w.PathOf(id) : null;

}
