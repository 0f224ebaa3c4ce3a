using CacheFs.Eviction;
using CacheFs.Journal;
using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>
/// Eviction: frees the content of clean, unpinned, closed, unleased files, least recently used first, and keeps their
/// metadata (the file becomes a placeholder; a later read fetches it again from the origin).
/// </summary>
/// <remarks>
/// A file is evicted under its size lock, which every open's read, write and truncate takes, and only while this
/// eviction is its one user: an open that comes in meanwhile finds a placeholder and refetches, never a half-removed
/// object. The journal commits "not present" before the object is deleted, so a crash between the two leaves an
/// object no row claims (recovery removes it), never a row claiming content that is gone.
/// </remarks>
public sealed partial class CacheVolume
{
    /// <summary>Every linked file's cache record, with what open files hold in memory laid over the journal's.</summary>
    public IReadOnlyList<CachedFile> ListCachedFiles()
    {
        FlushAccessHints();
        var files = _journal.Read(s => s.ListCachedFiles());
        for (var i = 0; i < files.Count; i++)
        {
            if (!_live.TryGetValue(files[i].Id, out var live))
                continue;
            lock (live.SizeLock)
            {
                files[i] = files[i] with
                {
                    Size = live.Size,
                    Content = live.Content,
                    CachedBytes = live.CachedBytes,
                    Dirty = live.DirtyRecorded,
                    LastAccess = live.LastAccess > files[i].LastAccess ? live.LastAccess : files[i].LastAccess,
                };
            }
        }

        return files;
    }

    /// <summary>Frees content as <paramref name="request"/> asks, least recently used first; see <see cref="EvictionReport"/>.</summary>
    public FsResult<EvictionReport> Evict(EvictionRequest request)
    {
        var files = ListCachedFiles();
        var before = files.Sum(f => f.CachedBytes);
        HashSet<long>? scope = null;
        if (request.Path is { } path && path.Trim('/').Length > 0)
        {
            var root = Resolve(path.Trim('/'));
            if (!root.IsOk)
                return root.Status;
            scope = SubtreeFiles(root.Value);
        }

        Timestamp? cutoff = request.OlderThan is { } age ? Timestamp.FromDateTimeOffset(_time.GetUtcNow() - age) : null;
        var cached = before;
        var freed = new List<EvictedFile>();
        var skipped = new List<EvictedFile>();
        foreach (var file in EvictionPolicy.Order(files, cutoff))
        {
            if (request.TargetBytes is { } target && cached <= target)
                break;
            if (scope is not null && !scope.Contains(file.Id))
                continue;
            var bytes = file.CachedBytes;
            var reason = EvictionPolicy.Forbidden(file) ?? (request.DryRun ? Obstacle(file.Id) : EvictOne(file.Id, out bytes));
            if (reason is null && bytes == 0)
                continue; // removed or emptied since the listing: nothing to free
            var name = PathOf(file.Id) ?? $"#{file.Id}";
            if (reason is { } why)
            {
                skipped.Add(new EvictedFile(name, file.CachedBytes, why));
                continue;
            }

            freed.Add(new EvictedFile(name, bytes));
            cached -= bytes;
        }

        if (freed.Count > 0 && !request.DryRun)
            _log.Information("Evicted {Files} files ({Bytes} bytes); skipped {Skipped}", freed.Count, freed.Sum(f => f.Bytes), skipped.Count);
        return new EvictionReport
        {
            CachedBytesBefore = before,
            CachedBytesAfter = cached,
            TargetBytes = request.TargetBytes,
            DryRun = request.DryRun,
            Freed = freed,
            Skipped = skipped,
        };
    }

    /// <summary>Bytes of content the cache holds, by the journal and the open files.</summary>
    public long CachedBytes() => ListCachedFiles().Sum(f => f.CachedBytes);

    /// <summary>What would stop <see cref="EvictOne"/> now, without changing anything (a dry run).</summary>
    private SkipReason? Obstacle(long id)
    {
        if (_live.ContainsKey(id))
            return SkipReason.Open;
        if (Leases?.Holds(id) == true)
            return SkipReason.Leased;
        return HasQueuedChanges(id) ? SkipReason.Queued : null;
    }

    /// <summary>Drops one file's content; null when done, else why it stayed. <paramref name="bytes"/> is what was freed.</summary>
    internal SkipReason? EvictOne(long id, out long bytes)
    {
        bytes = 0;
        if (_live.ContainsKey(id))
            return SkipReason.Open;
        if (Leases?.Holds(id) == true)
            return SkipReason.Leased;
        if (!Acquire(id).TryGet(out var file))
            return null; // gone meanwhile: nothing left to free
        try
        {
            lock (file.SizeLock)
            {
                lock (_liveLock)
                {
                    if (file.Users > 1)
                        return SkipReason.Open;
                }

                if (file.DirtyRecorded)
                    return SkipReason.Dirty;
                if (file.Content == ContentState.Placeholder)
                    return null;
                var freed = file.CachedBytes;
                SkipReason? reason = null;
                var status = Guard(() =>
                {
                    var writer = _journal.BeginWrite();
                    try
                    {
                        if (writer.GetNode(id) is not { } row)
                            return FsStatus.NotFound;
                        if (row.Pinned || row.Dirty || writer.HasQueuedChanges(id))
                        {
                            reason = row.Pinned ? SkipReason.Pinned : row.Dirty ? SkipReason.Dirty : SkipReason.Queued;
                            return FsStatus.Busy;
                        }

                        writer.UpdateNode(file.Overlay(row) with { Content = ContentState.Placeholder, CachedBytes = 0 });
                        writer.ReplaceRanges(id, new Content.RangeSet());
                        writer.Commit();
                        return FsStatus.Ok;
                    }
                    finally
                    {
                        writer.End();
                    }
                });
                if (status != FsStatus.Ok)
                    return reason ?? SkipReason.Open;

                // The journal says "not present" now; only then does the object go.
                file.Content = ContentState.Placeholder;
                file.Ranges.TruncateTo(0);
                file.MetadataDirty = false;
                file.Object?.Dispose();
                file.Object = null;
                _store.Delete(id);
                bytes = freed;
                return null;
            }
        }
        catch (Exception e) when (IsFault(e))
        {
            Fault(e);
            return SkipReason.Open;
        }
        finally
        {
            ReleaseFile(file);
        }
    }

    /// <summary>The files at or under <paramref name="node"/>, as the journal has them (nothing is listed from the origin).</summary>
    private HashSet<long> SubtreeFiles(NodeAttributes node)
    {
        var files = new HashSet<long>();
        if (!node.IsDirectory)
        {
            files.Add(node.Id);
            return files;
        }

        var pending = new Stack<long>([node.Id]);
        while (pending.TryPop(out var directory))
        {
            long cookie = 0;
            while (true)
            {
                var page = _journal.ListEntries(directory, cookie, 256);
                if (page.Count == 0)
                    break;
                foreach (var entry in page)
                {
                    if (entry.Attributes.IsDirectory)
                        pending.Push(entry.Attributes.Id);
                    else if (entry.Attributes.Kind == NodeKind.File)
                        files.Add(entry.Attributes.Id);
                }

                cookie = page[^1].Cookie;
            }
        }

        return files;
    }
}
